using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Export;

/// <summary>One-versus-all tree classifiers fused into one multi-target ensemble: same scores, fewer nodes.</summary>
public sealed class OnnxTreeEnsembleFuserTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private TrainingRun Train(string task, string label, string trainer) => SyntheticData.Fit(_folder, task, label, trainer);

    [Theory]
    [InlineData("LightGbm")]
    [InlineData("FastTree")]
    public void A_one_versus_all_tree_model_fuses_and_scores_exactly_as_before(string trainer)
    {
        var run = Train("multiclass", "species", trainer);
        var original = OnnxExporter.ExportUnfused(run.ML, run.Model.ScoringModel, run.Train, ModelTask.Multiclass);

        var fused = OnnxTreeEnsembleFuser.Fuse(original);

        Assert.NotNull(fused);
        using var before = new OnnxScoring(original);
        using var after = new OnnxScoring(fused);
        string[] outputs = ["PredictedLabel.output", "Score.output"];
        var expected = before.Run(run.Test, outputs);
        var actual = after.Run(run.Test, outputs);
        Assert.Equal((string[])expected["PredictedLabel.output"], (string[])actual["PredictedLabel.output"]);
        var e = (float[])expected["Score.output"];
        var a = (float[])actual["Score.output"];
        Assert.Equal(e.Length, a.Length);
        Assert.All(e.Zip(a), p => Assert.Equal(p.First, p.Second, 1e-6f));
        Assert.True(OnnxGraphInfo.NodeCount(fused) < OnnxGraphInfo.NodeCount(original) - 10,
            $"{OnnxGraphInfo.NodeCount(original)} → {OnnxGraphInfo.NodeCount(fused)} nodes");
    }

    [Theory]
    [InlineData("multiclass", "species", "LightGbm")]
    [InlineData("binary", "heavy", "FastTree")]
    [InlineData("regression", "bill depth", "Sdca")]
    public void Simplified_graphs_drop_do_nothing_nodes_and_score_exactly_as_before(string task, string label, string trainer)
    {
        var run = Train(task, label, trainer);
        Assert.True(ModelTasks.TryParse(task, out var modelTask));
        var original = OnnxExporter.ExportUnfused(run.ML, run.Model.ScoringModel, run.Train, modelTask);

        var simplified = OnnxTreeEnsembleFuser.Fuse(original) ?? original;
        simplified = OnnxGraphSimplifier.Simplify(simplified);

        Assert.NotNull(simplified);
        var outputs = OnnxExporter.ScoringOutputs(modelTask).Select(o => o.OnnxName).ToArray();
        using var before = new OnnxScoring(original);
        using var after = new OnnxScoring(simplified);
        var expected = before.Run(run.Test, outputs);
        var actual = after.Run(run.Test, outputs);
        foreach (var name in outputs)
        {
            switch (expected[name])
            {
                case float[] e:
                    Assert.All(e.Zip((float[])actual[name]), p => Assert.Equal(p.First, p.Second, 1e-6f));
                    break;
                default:
                    Assert.Equal(expected[name].Cast<object>(), actual[name].Cast<object>());
                    break;
            }
        }
        Assert.True(OnnxGraphInfo.NodeCount(simplified) < OnnxGraphInfo.NodeCount(original));
    }

    [Fact]
    public void Other_graphs_are_left_alone()
    {
        var binary = Train("binary", "heavy", "FastTree");
        Assert.Null(OnnxTreeEnsembleFuser.Fuse(OnnxExporter.ExportUnfused(binary.ML, binary.Model.ScoringModel, binary.Train, ModelTask.Binary)));
        var linear = Train("multiclass", "species", "SdcaMaximumEntropy");
        Assert.Null(OnnxTreeEnsembleFuser.Fuse(OnnxExporter.ExportUnfused(linear.ML, linear.Model.ScoringModel, linear.Train, ModelTask.Multiclass)));
    }
}

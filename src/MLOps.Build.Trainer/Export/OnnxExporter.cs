using Microsoft.ML;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Export;

public static class OnnxExporter
{
    /// <summary>The graph outputs a generated class reads, per task (non-calibrated binary models have no Probability).</summary>
    public static (string Name, string OnnxName)[] ScoringOutputs(ModelTask task) => task switch
    {
        ModelTask.Multiclass => [("PredictedLabel", "PredictedLabel.output"), ("Score", "Score.output")],
        ModelTask.Binary => [("PredictedLabel", "PredictedLabel.output"), ("Score", "Score.output"), ("Probability", "Probability.output")],
        _ => [("Score", "Score.output")],
    };

    /// <summary>
    /// The model as it ships: feature inputs only, only the outputs an app reads, one-versus-all tree ensembles fused
    /// into one node and do-nothing nodes removed, when the rewritten graph scores <paramref name="schemaSource"/> as
    /// the original does (else the original ships).
    /// </summary>
    public static byte[] ExportForScoring(MLContext ml, ITransformer model, TrainingTable schemaSource, ModelTask task)
    {
        var unfused = ExportUnfused(ml, model, schemaSource, task);
        var fused = OnnxTreeEnsembleFuser.Fuse(unfused) ?? unfused;
        var simplified = OnnxGraphSimplifier.Simplify(fused) ?? fused;
        if (ReferenceEquals(simplified, unfused))
        {
            return unfused;
        }
        simplified = OnnxGraphPruner.KeepOutputs(simplified, ScoringOutputs(task).Select(o => o.OnnxName).ToArray());
        return ScoresAlike(unfused, simplified, schemaSource, task) ? simplified : unfused;
    }

    /// <summary>The pruned graph as ML.NET exports it.</summary>
    public static byte[] ExportUnfused(MLContext ml, ITransformer model, TrainingTable schemaSource, ModelTask task) =>
        OnnxGraphPruner.KeepOutputs(Export(ml, model, schemaSource), ScoringOutputs(task).Select(o => o.OnnxName).ToArray());

    /// <summary>Same labels and scores within float rounding on every row: a rewrite that changes a prediction is discarded.</summary>
    private static bool ScoresAlike(byte[] expected, byte[] actual, TrainingTable rows, ModelTask task)
    {
        using var before = new OnnxScoring(expected);
        using var after = new OnnxScoring(actual);
        // Non-calibrated binary models have no Probability output.
        var outputs = ScoringOutputs(task).Select(o => o.OnnxName).Where(before.Outputs.ContainsKey).ToArray();
        if (!outputs.All(after.Outputs.ContainsKey))
        {
            return false;
        }
        var a = before.Run(rows, outputs);
        var b = after.Run(rows, outputs);
        foreach (var name in outputs)
        {
            switch (a[name], b[name])
            {
                case (float[] x, float[] y) when x.Length == y.Length && x.Zip(y).All(p => Math.Abs(p.First - p.Second) <= 1e-5f):
                    continue;
                case (float[], _) or (_, float[]):
                    return false;
                case (Array x, Array y) when x.Cast<object>().SequenceEqual(y.Cast<object>()):
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>Exports over a schema of feature columns only, so the graph takes no label input.</summary>
    public static byte[] Export(MLContext ml, ITransformer model, TrainingTable schemaSource)
    {
        var features = new InMemoryDataView(schemaSource, includeLabel: false);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, features, stream);
        return stream.ToArray();
    }
}

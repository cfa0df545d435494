using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Comparisons;

/// <summary>The trainer's comparison of a new model with the accepted one, on the same test rows, through the models as they ship.</summary>
public sealed class AcceptedModelComparisonTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public AcceptedModelComparisonTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(120, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    private ModelCard Train(string manifestText, string output, string fingerprint, string? accepted = null)
    {
        var manifest = _folder.Write("M.mlmodel.json", manifestText);
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf(output), fingerprint) { AcceptedDirectory = accepted }),
            string.Join("\n", diagnostics.Items));
        return ArtifactJson.Read(_folder.PathOf($"{output}/{ArtifactNames.ModelCard}"), ArtifactJson.ModelCard);
    }

    private ModelComparison Comparison(string output) => ArtifactJson.Read(_folder.PathOf($"{output}/{ArtifactNames.Comparison}"), ArtifactJson.ModelComparison);

    [Theory]
    [InlineData("multiclass", "species", "LightGbm", "SdcaMaximumEntropy", new[] { "MicroAccuracy", "MacroAccuracy", "LogLoss", "LogLossReduction" })]
    [InlineData("binary", "heavy", "FastTree", "LbfgsLogisticRegression", new[] { "Accuracy", "AreaUnderRocCurve", "F1Score", "PositivePrecision", "NegativeRecall", "LogLoss", "LogLossReduction" })]
    [InlineData("binary", "heavy", "SdcaNonCalibrated", "FastTree", new[] { "Accuracy", "AreaUnderRocCurve", "F1Score" })]
    [InlineData("regression", "bill depth", "Sdca", "FastTree", new[] { "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError", "RSquared", "LossFunction" })]
    public void Both_models_are_measured_on_the_same_rows_as_ML_NET_measured_each_and_every_difference_has_an_interval(
        string task, string label, string acceptedTrainer, string newTrainer, string[] compared)
    {
        var accepted = Train(SyntheticData.Manifest(task, label, acceptedTrainer), "accepted", "fa");
        var current = Train(SyntheticData.Manifest(task, label, newTrainer), "out", "fb", accepted: _folder.PathOf("accepted"));

        var comparison = Comparison("out");
        Assert.Null(comparison.Problem);
        Assert.Equal(("fb", "fa", accepted.Onnx.Sha256), (comparison.Fingerprint, comparison.AcceptedFingerprint, comparison.AcceptedModelSha256));
        Assert.Equal(120, comparison.Rows);
        Assert.Equal(2000, comparison.Resamples);
        Assert.Subset(comparison.Metrics.Keys.ToHashSet(), compared.ToHashSet());
        foreach (var (name, metric) in comparison.Metrics)
        {
            // The accepted model, scored here through ONNX Runtime, measures what ML.NET measured when it was trained:
            // the test rows are the same, so this is the check that the per-row definitions are ML.NET's.
            Assert.Equal(accepted.Metrics[name], metric.Accepted, 3);
            Assert.Equal(current.Metrics[name], metric.Current, 3);
            Assert.Equal(metric.Current - metric.Accepted, metric.Difference, 12);
            Assert.InRange(metric.Difference, metric.Lower, metric.Upper);
        }
        // Two models that both rank every row right (AUC 1 on both) differ by exactly nothing; the rest do not.
        Assert.Contains(comparison.Metrics.Values, m => m.Upper > m.Lower);
    }

    [Fact]
    public void A_model_compared_with_itself_differs_by_exactly_nothing()
    {
        var manifest = SyntheticData.Manifest("binary", "heavy", "FastTree");
        Train(manifest, "accepted", "fa");
        Train(manifest, "out", "fb", accepted: _folder.PathOf("accepted"));

        foreach (var metric in Comparison("out").Metrics.Values)
        {
            Assert.Equal((0.0, 0.0, 0.0), (metric.Difference, metric.Lower, metric.Upper));
            Assert.False(metric.IsSignificant);
        }
    }

    [Fact]
    public void An_accepted_model_that_reads_a_column_this_model_dropped_gives_the_reason_instead_of_intervals()
    {
        Train(SyntheticData.Manifest("binary", "heavy", "FastTree"), "accepted", "fa");
        var withoutIsland = SyntheticData.Manifest("binary", "heavy", "FastTree").Replace("\"exclude\": [\"id\"", "\"exclude\": [\"id\", \"island\"");
        Train(withoutIsland, "out", "fb", accepted: _folder.PathOf("accepted"));

        var comparison = Comparison("out");
        Assert.Empty(comparison.Metrics);
        Assert.Equal("the accepted model reads column 'island', which this model's test rows do not have", comparison.Problem);
    }

    [Fact]
    public void Training_without_an_accepted_model_removes_an_earlier_comparison()
    {
        var manifest = SyntheticData.Manifest("regression", "bill depth", "Sdca");
        Train(manifest, "accepted", "fa");
        Train(manifest, "out", "fb", accepted: _folder.PathOf("accepted"));
        Assert.True(File.Exists(_folder.PathOf($"out/{ArtifactNames.Comparison}")));

        Train(manifest, "out", "fc");

        Assert.False(File.Exists(_folder.PathOf($"out/{ArtifactNames.Comparison}")));
    }
}

using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Training;

public sealed class CrossValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public CrossValidationTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(80, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("multiclass", "species", "LightGbm", "MicroAccuracy")]
    [InlineData("binary", "heavy", "FastTree", "AreaUnderRocCurve")]
    [InlineData("binary", "heavy", "SdcaNonCalibrated", "Accuracy")]
    [InlineData("regression", "bill depth", "Sdca", "RSquared")]
    public void Folds_give_means_the_gates_see_and_standard_deviations_and_keep_the_test_set_metrics(string task, string label, string trainer, string metric)
    {
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest(task, label, trainer, extra: ",\n  \"validation\": { \"folds\": 4 }"));
        var diagnostics = new DiagnosticBag();

        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "f")), string.Join("\n", diagnostics.Items));

        using var card = JsonDocument.Parse(File.ReadAllBytes(_folder.PathOf("out/modelcard.json")));
        var cv = card.RootElement.GetProperty("crossValidation");
        Assert.Equal(4, cv.GetProperty("folds").GetInt32());
        var mean = cv.GetProperty("mean").GetProperty(metric).GetDouble();
        Assert.True(cv.GetProperty("standardDeviation").GetProperty(metric).GetDouble() >= 0);
        Assert.True(cv.GetProperty("testSet").TryGetProperty(metric, out _));
        using var metrics = JsonDocument.Parse(File.ReadAllBytes(_folder.PathOf("out/metrics.json")));
        Assert.Equal(mean, metrics.RootElement.GetProperty(metric).GetDouble());
    }

    [Fact]
    public void Folds_outside_2_to_20_are_a_manifest_error()
    {
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest("regression", "bill depth", "Sdca", extra: ",\n  \"validation\": { \"folds\": 1 }"));
        var diagnostics = new DiagnosticBag();

        Assert.False(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "f")));
        Assert.Equal("MLOPS1011", Assert.Single(diagnostics.Items).Id);
    }
}

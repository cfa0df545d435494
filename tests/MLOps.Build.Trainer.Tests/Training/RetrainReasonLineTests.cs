using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>MLOPS2010 says why the model was trained, from the inputs the last card recorded and the resolve step's current ones.</summary>
public sealed class RetrainReasonLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public RetrainReasonLineTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(80, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    private string Trained(string trees, string dataHash)
    {
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest("binary", "heavy", "FastTree", $"{{ \"NumberOfTrees\": {trees} }}"));
        // What the resolve step writes: the fingerprint's parts.
        Directory.CreateDirectory(_folder.PathOf("out"));
        ArtifactJson.Write(_folder.PathOf($"out/{ArtifactNames.InputParts}"), new Dictionary<string, string>
        {
            ["data.train"] = dataHash,
            ["manifest.trainer.options.NumberOfTrees"] = trees,
            ["tool"] = "1.0",
        }, ArtifactJson.FingerprintParts);
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "f" + trees + dataHash)), string.Join("\n", diagnostics.Items));
        return diagnostics.Items.Single(d => d.Id == "MLOPS2010").Message;
    }

    [Fact]
    public void The_trained_line_names_what_changed_since_the_last_training_and_the_card_records_the_inputs()
    {
        Assert.EndsWith("Trained because it was never trained here.", Trained("10", "a"));
        Assert.Equal("10", ArtifactJson.Read(_folder.PathOf($"out/{ArtifactNames.ModelCard}"), ArtifactJson.ModelCard).InputsTrainedFrom!["manifest.trainer.options.NumberOfTrees"]);

        Assert.EndsWith("Trained because trainer.options.NumberOfTrees 10 → 20.", Trained("20", "a"));

        // New rows in the training file: the row counts of both trainings.
        File.AppendAllText(_folder.PathOf("train.csv"), string.Join("\n", SyntheticData.Csv(12, seed: 9).Split('\n').Skip(1)));
        Assert.EndsWith("Trained because data.train changed (240 → 252 rows, +12).", Trained("20", "b"));
    }
}

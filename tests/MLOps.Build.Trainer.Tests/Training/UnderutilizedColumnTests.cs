using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

public sealed class UnderutilizedColumnTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_column_is_underutilized_when_its_drop_is_within_two_standard_errors_of_zero()
    {
        FeatureImportanceCard[] cards =
        [
            new("used", "AreaUnderRocCurve", 0.2, 0.01),
            new("noise", "AreaUnderRocCurve", 0.003, 0.002),
            new("harmful shuffle", "AreaUnderRocCurve", -0.001, 0.001),
            new("never read", "AreaUnderRocCurve", 0, 0),
            new("small but sure", "AreaUnderRocCurve", 0.005, 0.001),
        ];

        Assert.Equal(["noise", "harmful shuffle", "never read"], UnderutilizedColumns.Find(cards).Select(c => c.Column));
    }

    [Fact]
    public void Training_names_a_random_column_at_the_training_data_with_its_figure_and_not_the_label_s_cause()
    {
        _folder.Write("train.csv", SyntheticData.Csv(400, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(200, seed: 2));
        // "heavy" is body mass over 4100 g; "has tag" is a coin toss.
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest("binary", "heavy", "FastTree"));
        var diagnostics = new DiagnosticBag();

        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "f")), string.Join("\n", diagnostics.Items));

        var flagged = diagnostics.Items.Where(d => d.Id == "MLOPS2039").ToArray();
        Assert.DoesNotContain(flagged, d => d.Message.Contains("'Body Mass (g)'", StringComparison.Ordinal));
        var tag = Assert.Single(flagged, d => d.Message.Contains("'has tag'", StringComparison.Ordinal));
        Assert.Matches(@"^Penguins: column 'has tag' makes no measurable difference: shuffling it changes AreaUnderRocCurve by -?[\d.]+ ± [\d.]+ \(standard error over 3 shuffles of 200 test rows\)", tag.Message);
        // At "train.csv" in the manifest's data section.
        Assert.Equal(5, tag.Location.Line);
    }
}

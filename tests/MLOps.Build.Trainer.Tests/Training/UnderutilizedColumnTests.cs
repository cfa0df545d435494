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

    [Fact]
    public void Past_twenty_unused_columns_the_rest_share_one_line_that_names_twenty_more_and_counts_the_others()
    {
        var cards = Enumerable.Range(0, 60).Select(i => new FeatureImportanceCard($"pixel {i}", "AreaUnderRocCurve", 0, 0.001)).Prepend(new("used", "AreaUnderRocCurve", 0.3, 0.01)).ToArray();
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest("binary", "heavy", "FastTree"));
        var diagnostics = new DiagnosticBag();

        UnderutilizedColumns.Report(MLOps.Build.Manifest.ManifestParser.ParseFile(manifest, diagnostics)!, cards, new ImportanceSampleCard(200, 200, 3), diagnostics);

        var lines = diagnostics.Items.Where(d => d.Id == "MLOPS2039").Select(d => d.Message).ToArray();
        Assert.Equal(21, lines.Length);
        Assert.All(lines.Take(20), (line, i) => Assert.StartsWith($"Penguins: column 'pixel {i}' makes no measurable difference", line));
        Assert.Equal(
            "Penguins: 40 more columns make no measurable difference either (within 2 standard errors of nothing): " +
            string.Join(", ", Enumerable.Range(20, 20).Select(i => $"'pixel {i}'")) + " and 20 others. The model card's featureImportance gives each one's drop and standard error.",
            lines[^1]);
    }
}

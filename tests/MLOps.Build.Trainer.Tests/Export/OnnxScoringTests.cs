using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Export;

public sealed class OnnxScoringTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_table_longer_than_a_batch_is_scored_in_batches_with_every_row_in_its_place()
    {
        var run = SyntheticData.Fit(_folder, "multiclass", "species", "LightGbm");
        using var scoring = new OnnxScoring(OnnxExporter.ExportUnfused(run.ML, run.Model.ScoringModel, run.Train, ModelTask.Multiclass));
        string[] outputs = ["PredictedLabel.output", "Score.output"];
        var rows = 2 * OnnxScoring.BatchRows + 37;
        var repeated = run.Test.Select(Enumerable.Range(0, rows).Select(r => r % run.Test.RowCount).ToArray());

        var once = scoring.Run(run.Test, outputs); // fewer rows than a batch: one call
        var batched = scoring.Run(repeated, outputs);

        var labels = (string[])once["PredictedLabel.output"];
        Assert.Equal(Enumerable.Range(0, rows).Select(r => labels[r % labels.Length]), (string[])batched["PredictedLabel.output"]);
        var scores = (float[])once["Score.output"];
        var classes = scores.Length / run.Test.RowCount;
        Assert.Equal(Enumerable.Range(0, rows * classes).Select(i => scores[(i / classes % run.Test.RowCount * classes) + (i % classes)]), (float[])batched["Score.output"]);
    }
}

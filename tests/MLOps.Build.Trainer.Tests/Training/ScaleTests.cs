using System.Globalization;
using System.Text;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Progress;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>Post-training steps whose cost does not grow with the width of the feature vector, sampled deterministically.</summary>
public sealed class ScaleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Sales by store: 200 stores (200 one-hot slots), half of them busy, a price, and noise.</summary>
    private static string Sales(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("store,price ($),units\n");
        for (var i = 0; i < rows; i++)
        {
            var store = random.Next(200);
            var price = 5 + random.NextDouble() * 20;
            var units = 100 - 3 * price + (store % 2) * 30 + random.NextDouble() * 5;
            text.Append(CultureInfo.InvariantCulture, $"S{store:000},{price:0.00},{units:0.0}\n");
        }
        return text.ToString();
    }

    private (bool Ok, DiagnosticBag Diagnostics, string Output, string Progress) Train(string extra, string outputName = "out")
    {
        _folder.Write("train.csv", Sales(6000, 1));
        _folder.Write("test.csv", Sales(2000, 2));
        var manifest = _folder.Write("Sales.mlmodel.json", $$"""
            {
              "name": "Sales", "task": "regression", "label": "units",
              "data": { "train": "train.csv", "test": "test.csv" },
              "trainer": { "name": "LightGbm", "options": { "NumberOfIterations": 60 } },
              "seed": 5{{extra}}
            }
            """);
        var diagnostics = new DiagnosticBag();
        var progress = new StringWriter();
        var output = _folder.PathOf(outputName);
        var ok = new TrainCommand(diagnostics, progress).Run(new TrainRequest(manifest, output, "fp"));
        return (ok, diagnostics, output, progress.ToString());
    }

    private static ModelCard Card(string output) => ArtifactJson.Read(Path.Combine(output, "modelcard.json"), ArtifactJson.ModelCard);

    [Fact]
    public void Importance_of_a_200_value_category_is_one_column_shuffled_on_the_configured_sample_and_repeats_exactly()
    {
        var first = Train(",\n  \"importance\": { \"rows\": 500, \"permutations\": 2 }");
        var second = Train(",\n  \"importance\": { \"rows\": 500, \"permutations\": 2 }", "again");

        Assert.True(first.Ok, string.Join("\n", first.Diagnostics.Items));
        var card = Card(first.Output);
        // One entry per column, not per one-hot slot, and both matter.
        Assert.Equal(["price ($)", "store"], card.FeatureImportance!.Select(i => i.Column).Order());
        Assert.All(card.FeatureImportance!, i => Assert.True(i.Drop > 0, $"{i.Column}: {i.Drop}"));
        Assert.Equal(new ImportanceSampleCard(500, 2000, 2), card.FeatureImportanceSample);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Output, "modelcard.json")), File.ReadAllBytes(Path.Combine(second.Output, "modelcard.json")));
    }

    [Fact]
    public void LightGbm_with_categories_on_more_than_50000_rows_exports_a_graph_ONNX_Runtime_loads()
    {
        // ML.NET would switch LightGBM's categorical splits on here and export trees with feature -1.
        _folder.Write("big.csv", Sales(60_000, 3));
        var manifest = _folder.Write("Big.mlmodel.json", """
            {
              "name": "Big", "task": "regression", "label": "units",
              "data": { "train": "big.csv", "testFraction": 0.05 },
              "trainer": { "name": "LightGbm", "options": { "NumberOfIterations": 5 } },
              "importance": false
            }
            """);
        var diagnostics = new DiagnosticBag();

        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("big"), "fp")), string.Join("\n", diagnostics.Items));
        Assert.False(Card(_folder.PathOf("big")).Trainer!.Options.ContainsKey("UseCategoricalSplit"));
    }

    [Fact]
    public void Importance_can_be_switched_off()
    {
        var (ok, diagnostics, output, progress) = Train(",\n  \"importance\": false");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.Null(Card(output).FeatureImportance);
        Assert.Null(Card(output).FeatureImportanceSample);
        Assert.DoesNotContain(progress.Split('\n').Select(ProgressLine.TryParse), p => p?.Stage == "importance");
    }

    [Fact]
    public void A_run_reports_each_stage_as_it_starts_and_the_time_of_each_at_the_end()
    {
        var (ok, diagnostics, _, progress) = Train("");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var lines = progress.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ProgressLine.TryParse).ToArray();
        Assert.All(lines, Assert.NotNull);
        Assert.Equal(["read", "train", "evaluate", "importance", "export", "parity", "compiled", "statistics", "done"], lines.Select(l => l!.Stage));
        Assert.All(lines, l => Assert.Equal("Sales", l!.Model));
        Assert.Contains("training LightGbm on 6,000 rows of 2 features", lines[1]!.Message);
        Assert.Matches(@"^read \d+\.\d s, train \d+\.\d s, evaluate .*statistics \d+\.\d s$", lines[^1]!.Message);
    }

    [Fact]
    public void Parity_compares_every_row_of_a_small_table_and_a_seeded_sample_of_a_large_one_plus_edge_rows()
    {
        var table = Table(1000);

        var all = ParityRows.For(table, seed: 1, allRowsUpTo: 1000, sampleRows: 100);
        var sampled = ParityRows.For(table, seed: 1, allRowsUpTo: 999, sampleRows: 100);
        var again = ParityRows.For(table, seed: 1, allRowsUpTo: 999, sampleRows: 100);
        var otherSeed = ParityRows.For(table, seed: 2, allRowsUpTo: 999, sampleRows: 100);

        // Edge rows: each of the two features missing, the category unseen, both missing.
        Assert.Equal((1004, 1000, 4), (all.Rows.RowCount, all.SampledFrom, all.EdgeRows));
        Assert.Equal((104, 1000, 4), (sampled.Rows.RowCount, sampled.SampledFrom, sampled.EdgeRows));
        Assert.Equal(sampled.Rows.Features[0].Numbers, again.Rows.Features[0].Numbers);
        Assert.NotEqual(sampled.Rows.Features[0].Numbers, otherSeed.Rows.Features[0].Numbers);
        var edges = sampled.Rows.Features.Select(f => f.IsNumeric ? f.Numbers!.Skip(100).Select(n => float.IsNaN(n) ? "NaN" : "x") : f.Categories!.Skip(100).Select(c => c ?? "null")).ToArray();
        Assert.Equal(["NaN", "x", "x", "NaN"], edges[0]);
        Assert.Equal(["x", "null", ParityRows.UnseenCategory, "null"], edges[1].Select(c => c.StartsWith('c') ? "x" : c));
    }

    private static TrainingTable Table(int rows)
    {
        var numbers = Enumerable.Range(0, rows).Select(i => (float)i).ToArray();
        var categories = CategoryColumn.From(Enumerable.Range(0, rows).Select(i => "c" + (i % 7)));
        return new TrainingTable("t.csv",
            [new FeatureColumn("n", ColumnKind.Float, numbers, null), new FeatureColumn("c", ColumnKind.Category, null, categories)],
            new LabelColumn("y", null, null, numbers), rows);
    }
}

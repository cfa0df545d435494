using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Manifest;

/// <summary>The manifest's <c>sweep</c> section: defaults, the three value forms, and every problem at its line.</summary>
public sealed class SweepSectionTests
{
    /// <summary>The valid manifest with its trainer replaced by a sweep (on line 12).</summary>
    private static (ModelManifest? Manifest, IReadOnlyList<MLOps.Build.Diagnostics.MLOpsDiagnostic> Diagnostics) Parse(string sweep, bool keepTrainer = false) =>
        Manifests.Parse(Manifests.Valid.Replace(
            """  "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15 } },""",
            (keepTrainer ? """  "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15 } }, """ : "  ") + "\"sweep\": " + sweep + ","));

    [Fact]
    public void Without_settings_a_sweep_tries_every_trainer_of_the_task_on_20_random_configurations_5_fold_by_the_primary_metric()
    {
        var (manifest, diagnostics) = Parse("{}");

        Assert.Empty(diagnostics);
        var sweep = manifest!.Sweep!;
        Assert.Null(manifest.Trainer);
        Assert.True(manifest.Trains);
        Assert.Equal((20, 5, SweepStrategy.Random, "MacroAccuracy"), (sweep.TrialBudget, sweep.Folds, sweep.Strategy, sweep.Metric));
        Assert.Equal(TrainerCatalog.For(ModelTask.Multiclass), sweep.Trainers.Select(t => t.Name));
        Assert.Empty(sweep.Spaces);
    }

    [Fact]
    public void Ranges_lists_and_fixed_values_parse_with_their_budget_and_strategy()
    {
        var (manifest, diagnostics) = Parse("""
            { "trials": 60, "time": "1h30m", "metric": "LogLoss", "trainers": ["LightGbm", "FastTree"], "folds": 3, "strategy": "halving",
              "space": { "LightGbm": { "NumberOfLeaves": { "min": 4, "max": 128, "scale": "log" }, "NumberOfIterations": [50, 100], "UseSoftmax": true } } }
            """, keepTrainer: true);

        Assert.Empty(diagnostics);
        var sweep = manifest!.Sweep!;
        Assert.Equal((60, TimeSpan.FromMinutes(90), "LogLoss", 3, SweepStrategy.Halving), (sweep.Trials!.Value, sweep.Time!.Value, sweep.Metric, sweep.Folds, sweep.Strategy));
        Assert.Equal("LightGbm", manifest.Trainer!.Name);
        var space = Assert.Single(sweep.Spaces);
        Assert.Equal("LightGbm", space.Trainer);
        Assert.Equal(new RangeDomain(4, 128, Log: true), space.Parameters[0].Domain);
        Assert.Equal([OptionLiteral.Number(50), OptionLiteral.Number(100)], ((ChoiceDomain)space.Parameters[1].Domain).Values);
        Assert.Equal(new FixedDomain(new OptionLiteral(LocatedKind.True, "true")), space.Parameters[2].Domain);
    }

    [Fact]
    public void Columns_to_leave_out_are_read_in_order_at_their_places()
    {
        var (manifest, diagnostics) = Parse("""{ "dropColumns": ["heavy", "bill depth"] }""");

        Assert.Empty(diagnostics);
        Assert.Equal(["heavy", "bill depth"], manifest!.Sweep!.DropColumns.Select(c => c.Name));
        Assert.Equal((12, 30), (manifest.Sweep.DropColumns[0].Location.Line, manifest.Sweep.DropColumns[0].Location.Column));
    }

    [Theory]
    [InlineData("tpe", SweepStrategy.Tpe)]
    [InlineData("tpe-halving", SweepStrategy.TpeHalving)]
    public void Each_strategy_is_read_by_its_name(string name, SweepStrategy strategy)
    {
        var (manifest, diagnostics) = Parse($$"""{ "strategy": "{{name}}" }""");

        Assert.Empty(diagnostics);
        Assert.Equal(strategy, manifest!.Sweep!.Strategy);
        Assert.Equal(name, strategy.ToName());
    }

    /// <param name="at">The text the diagnostic must point at.</param>
    /// <param name="occurrence">Which occurrence of <paramref name="at"/> in the sweep, 1-based.</param>
    [Theory]
    [InlineData("""{ "trials": 0 }""", "MLOPS1011", "0")]
    [InlineData("""{ "time": "soon" }""", "MLOPS1011", "\"soon")]
    [InlineData("""{ "folds": 1 }""", "MLOPS1011", "1")]
    [InlineData("""{ "metric": "Accuracy" }""", "MLOPS1007", "\"Accuracy")]
    [InlineData("""{ "strategy": "bayes" }""", "MLOPS1011", "\"bayes")]
    [InlineData("""{ "trainers": ["LightGBM"] }""", "MLOPS1006", "\"LightGBM")]
    [InlineData("""{ "trainers": ["LightGbm", "LightGbm"] }""", "MLOPS1050", "\"LightGbm\"", 2)]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "FastTree": {} } }""", "MLOPS1050", "\"FastTree")]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": { "min": 9, "max": 3 } } } }""", "MLOPS1050", "{ \"min\": 9")]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "LightGbm": { "LearningRate": { "min": 0, "max": 1, "scale": "log" } } } }""", "MLOPS1050", "{ \"min\": 0")]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": { "min": 4 } } } }""", "MLOPS1050", "{ \"min\": 4")]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": [] } } }""", "MLOPS1050", "[]")]
    [InlineData("""{ "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": { "min": 4, "max": 8, "scale": "exp" } } } }""", "MLOPS1011", "\"exp")]
    [InlineData("""{ "budget": 5 }""", "MLOPS1010", "\"budget")]
    [InlineData("""{ "dropColumns": "heavy" }""", "MLOPS1004", "\"heavy")]
    [InlineData("""{ "dropColumns": ["heavy", 3] }""", "MLOPS1004", "3")]
    [InlineData("""{ "dropColumns": [""] }""", "MLOPS1004", "\"\"")]
    [InlineData("""{ "dropColumns": ["heavy", "heavy"] }""", "MLOPS1050", "\"heavy", 2)]
    public void A_malformed_sweep_is_reported_at_the_offending_value(string sweep, string code, string at, int occurrence = 1)
    {
        var (_, diagnostics) = Parse(sweep);

        var d = Assert.Single(diagnostics);
        var index = -1;
        for (var n = 0; n < occurrence; n++)
        {
            index = sweep.IndexOf(at, index + 1, StringComparison.Ordinal);
        }
        // The sweep object starts on line 12 after `  "sweep": ` (column 12).
        Assert.Equal((code, 12, 12 + index), (d.Id, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_sweep_with_an_imported_model_is_MLOPS1013()
    {
        var (_, diagnostics) = Manifests.Parse("""{ "name": "M", "task": "binary", "label": "y", "data": { "train": "d.csv" }, "onnx": "m.onnx", "sweep": {} }""");

        Assert.Equal("MLOPS1013", Assert.Single(diagnostics).Id);
    }
}

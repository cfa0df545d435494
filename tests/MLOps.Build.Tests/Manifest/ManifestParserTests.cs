using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Manifest;

public sealed class ManifestParserTests
{
    [Fact]
    public void Parses_every_field_of_a_valid_manifest()
    {
        var (manifest, diagnostics) = Manifests.Parse(Manifests.Valid);

        Assert.Empty(diagnostics);
        Assert.NotNull(manifest);
        Assert.Equal("Penguins", manifest.Name);
        Assert.Equal("2.1.0", manifest.Version);
        Assert.Equal(ModelTask.Multiclass, manifest.Task);
        Assert.Equal("species", manifest.Label);
        Assert.Equal("data/train.csv", manifest.Train!.RelativePath);
        Assert.Equal(new string('0', 64), manifest.Train.Sha256);
        Assert.Equal("data/test.csv", manifest.Test!.RelativePath);
        Assert.Null(manifest.Test.Sha256);
        Assert.Equal([("island", ColumnKind.Category), ("Body Mass (g)", ColumnKind.Float)], manifest.Columns.Select(c => (c.Column, c.Kind)));
        Assert.Equal(["id"], manifest.Exclude.Select(e => e.Name));
        Assert.Equal("LightGbm", manifest.Trainer!.Name);
        Assert.Equal("NumberOfLeaves", Assert.Single(manifest.Trainer.Options).Name);
        Assert.Equal(7, manifest.Seed);
        var gate = Assert.Single(manifest.Gates);
        Assert.Equal(("MacroAccuracy", 0.9), (gate.Metric, gate.Min!.Value));
        Assert.Equal("data/recent.csv", manifest.Drift!.Current!.RelativePath);
        Assert.Equal(3, manifest.DataFiles.Count());
    }

    [Theory]
    [InlineData("", true, 10_000, 3, false)]
    [InlineData("\"importance\": true,", true, 10_000, 3, false)]
    [InlineData("\"importance\": false,", false, 10_000, 3, false)]
    [InlineData("\"importance\": { \"rows\": 500 },", true, 500, 3, true)]
    [InlineData("\"importance\": { \"rows\": 2000, \"permutations\": 5 },", true, 2000, 5, true)]
    [InlineData("\"importance\": { \"permutations\": 5 },", true, 10_000, 5, false)]
    public void Importance_is_on_by_default_and_can_be_sized_or_switched_off(string setting, bool enabled, int rows, int permutations, bool declared)
    {
        var (manifest, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7,", "\"seed\": 7, " + setting));

        Assert.Empty(diagnostics);
        Assert.Equal(new ImportanceSpec(enabled, rows, permutations) { RowsDeclared = declared }, manifest!.Importance);
    }

    [Theory]
    [InlineData(5, false, 10_000)]      // a narrow table: the default 10,000 rows
    [InlineData(100, false, 10_000)]    // 1,000,000 cells exactly
    [InlineData(784, false, 1_275)]     // 1,000,000 / 784
    [InlineData(3_000, false, 1_000)]   // never fewer than 1,000 rows
    [InlineData(784, true, 10_000)]     // declared rows are used as they are
    public void The_default_importance_sample_of_a_wide_table_keeps_a_million_cells(int columns, bool declared, int rows)
    {
        var spec = ImportanceSpec.Default with { RowsDeclared = declared };

        Assert.Equal(rows, spec.SampleRows(columns));
    }

    [Theory]
    [InlineData("\"importance\": \"yes\",", "MLOPS1004")]
    [InlineData("\"importance\": { \"rows\": 5 },", "MLOPS1011")]
    [InlineData("\"importance\": { \"permutations\": 0.5 },", "MLOPS1004")]
    [InlineData("\"importance\": { \"row\": 500 },", "MLOPS1010")]
    public void A_malformed_importance_setting_is_reported_at_its_value(string setting, string code)
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7,", "\"seed\": 7, " + setting));

        var d = Assert.Single(diagnostics);
        Assert.Equal((code, 13), (d.Id, d.Location.Line)); // the line of "seed"
    }

    [Fact]
    public void Locations_are_one_based_line_and_column_of_the_value()
    {
        var (manifest, _) = Manifests.Parse(Manifests.Valid);

        Assert.Equal((2, 11), (manifest!.NameLocation.Line, manifest.NameLocation.Column));
        Assert.Equal((7, 24), (manifest.Train!.PathLocation.Line, manifest.Train.PathLocation.Column));
    }

    [Fact]
    public void Allows_comments_and_trailing_commas()
    {
        var (manifest, diagnostics) = Manifests.Parse("""
            {
              // a comment
              "name": "M", "task": "regression", "label": "y",
              "data": { "train": "t.csv", },
              "trainer": "FastTree",
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal("FastTree", manifest!.Trainer!.Name);
    }

    [Fact]
    public void Invalid_json_is_MLOPS1002_at_the_offending_token()
    {
        var (manifest, diagnostics) = Manifests.Parse("{\n  \"name\": \"M\"\n  \"task\": \"binary\"\n}");

        Assert.Null(manifest);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS1002", d.Id);
        Assert.Equal((3, 3), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Empty_file_is_MLOPS1002()
    {
        var (_, diagnostics) = Manifests.Parse("");
        Assert.Equal("MLOPS1002", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Missing_required_fields_are_MLOPS1003_each()
    {
        var (manifest, diagnostics) = Manifests.Parse("{\n  \"trainer\": \"LightGbm\"\n}");

        Assert.Null(manifest);
        Assert.Equal(
            ["Required field 'name' is missing.", "Required field 'task' is missing.", "Required field 'label' is missing."],
            diagnostics.Where(d => d.Id == "MLOPS1003" && d.Message.StartsWith("Required", StringComparison.Ordinal)).Select(d => d.Message));
        Assert.All(diagnostics.Where(d => d.Id == "MLOPS1003"), d => Assert.Equal((1, 1), (d.Location.Line, d.Location.Column)));
    }

    [Fact]
    public void Unknown_task_is_MLOPS1005_with_a_suggestion()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"multiclass\"", "\"multiclas\""));

        var d = Assert.Single(diagnostics, d => d.Id == "MLOPS1005");
        Assert.Equal((4, 11), (d.Location.Line, d.Location.Column));
        Assert.Contains("Did you mean 'multiclass'?", d.Message);
    }

    [Fact]
    public void Unknown_trainer_for_the_task_is_MLOPS1006()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"LightGbm\"", "\"LightGBM\""));

        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS1006", d.Id);
        Assert.Equal((12, 24), (d.Location.Line, d.Location.Column));
        Assert.Contains("Did you mean 'LightGbm'?", d.Message);
    }

    [Fact]
    public void A_trainer_of_another_task_is_unknown()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"LightGbm\"", "\"LbfgsPoissonRegression\""));
        Assert.Equal("MLOPS1006", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Unknown_metric_is_MLOPS1007_at_the_metric()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"MacroAccuracy\"", "\"MacroAcuracy\""));

        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS1007", d.Id);
        Assert.Equal((14, 26), (d.Location.Line, d.Location.Column));
        Assert.Contains("Did you mean 'MacroAccuracy'?", d.Message);
    }

    [Fact]
    public void A_metric_of_another_task_is_unknown()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"MacroAccuracy\"", "\"RSquared\""));
        Assert.Equal("MLOPS1007", Assert.Single(diagnostics).Id);
    }

    [Theory]
    [InlineData("2Fast")]
    [InlineData("my-model")]
    [InlineData("class")]
    public void Name_that_is_not_a_CSharp_identifier_is_MLOPS1008(string name)
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"Penguins\"", $"\"{name}\""));
        Assert.Equal("MLOPS1008", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Unknown_key_is_warning_MLOPS1010_and_the_manifest_still_parses()
    {
        var (manifest, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7", "\"sed\": 7"));

        Assert.NotNull(manifest);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("MLOPS1010", DiagnosticLevel.Warning), (d.Id, d.Severity));
        Assert.Equal((13, 3), (d.Location.Line, d.Location.Column));
        Assert.Equal("Unknown key 'sed' is ignored. Did you mean 'seed'?", d.Message);
    }

    [Fact]
    public void Nested_unknown_keys_name_their_path()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"min\": 0.9", "\"mim\": 0.1, \"min\": 0.9"));
        Assert.Equal("Unknown key 'gates[].mim' is ignored. Did you mean 'min'?", Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void Wrong_value_type_is_MLOPS1004()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7", "\"seed\": \"7\""));

        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS1004", d.Id);
        Assert.Equal("'seed' must be a whole number; found a string.", d.Message);
    }

    [Fact]
    public void Gate_without_bound_is_MLOPS1012()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace(", \"min\": 0.9", ""));
        Assert.Equal("MLOPS1012", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Trainer_and_onnx_together_is_MLOPS1013()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 7, \"onnx\": \"m.onnx\""));
        Assert.Equal("MLOPS1013", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Unknown_column_type_is_MLOPS1038()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"island\": \"category\"", "\"island\": \"enum\""));

        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS1038", d.Id);
        Assert.Equal((10, 26), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Malformed_sha256_is_MLOPS1011()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace(new string('0', 64), "abc"));
        Assert.Equal("MLOPS1011", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Reports_every_problem_not_just_the_first()
    {
        var broken = Manifests.Valid
            .Replace("\"multiclass\"", "\"multi\"")
            .Replace("\"seed\": 7", "\"seed\": -1")
            .Replace("\"Penguins\"", "\"1st\"");
        var (_, diagnostics) = Manifests.Parse(broken);

        Assert.Equal(["MLOPS1005", "MLOPS1008", "MLOPS1011"], diagnostics.Select(d => d.Id).Order());
    }

    [Theory]
    [InlineData("\"maxIncrease\": \"5%\"", 0.05, true)]
    [InlineData("\"maxIncrease\": 0.05", 0.05, false)]
    public void Change_bounds_are_absolute_numbers_or_percentages(string bound, double value, bool relative)
    {
        var (manifest, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"min\": 0.9", bound));

        Assert.Empty(diagnostics);
        var gate = Assert.Single(manifest!.Gates);
        Assert.Equal((value, relative), (gate.MaxIncrease!.Value, gate.ChangeIsRelative));
    }

    [Fact]
    public void A_change_gate_can_ask_for_significance()
    {
        var (manifest, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"min\": 0.9", "\"maxDecrease\": 0.01, \"significant\": true"));

        Assert.Empty(diagnostics);
        Assert.True(Assert.Single(manifest!.Gates).RequiresSignificance);
    }

    [Theory]
    [InlineData("\"min\": 0.9, \"significant\": true", "MLOPS1012", "asks for a significant change but bounds no change")]
    [InlineData("\"maxDecrease\": 0.01, \"significant\": \"yes\"", "MLOPS1004", "'significant' must be true or false")]
    public void Significance_goes_with_a_change_bound_and_is_true_or_false(string gate, string code, string message)
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"min\": 0.9", gate));

        var d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Id);
        Assert.Contains(message, d.Message);
    }

    [Theory]
    [InlineData("\"maxIncrease\": \"five percent\"")]
    [InlineData("\"maxIncrease\": \"5%\", \"maxDecrease\": 0.1")]
    public void Malformed_change_bounds_are_MLOPS1011(string bound)
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"min\": 0.9", bound));
        Assert.Equal("MLOPS1011", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void A_gate_on_the_estimate_without_labels_parses_with_min_and_max_and_the_drift_section_its_calibration_limit()
    {
        var json = Manifests.Valid.Replace("\"metric\": \"MacroAccuracy\"", "\"metric\": \"estimated.MicroAccuracy\"")
            .Replace("\"method\": \"auto\"", "\"maxCalibrationError\": 0.08");

        var (manifest, diagnostics) = Manifests.Parse(json);

        Assert.Empty(diagnostics);
        Assert.Equal(("estimated.MicroAccuracy", 0.9), (manifest!.Gates[0].Metric, manifest.Gates[0].Min!.Value));
        Assert.Equal(0.08, manifest.Drift!.MaxCalibrationError);
        Assert.Equal(0.05, Manifests.Parse(Manifests.Valid).Manifest!.Drift!.MaxCalibrationError);
    }

    [Theory]
    [InlineData("\"metric\": \"estimated.MicroAccuracy\", \"maxDecrease\": 0.1", "drift", "MLOPS1012", "takes 'min' and 'max'")]
    [InlineData("\"metric\": \"estimated.MicroAccuracy\", \"min\": 0.9", "", "MLOPS1012", "add \"drift\": { \"current\": \"…\" }")]
    [InlineData("\"metric\": \"estimated.MacroAccuracy\", \"min\": 0.9", "drift", "MLOPS1007", "(estimated.MicroAccuracy: estimated without labels on drift.current)")]
    [InlineData("\"metric\": \"MicroAccuracy\", \"min\": 0.9", "\"maxCalibrationError\": 1.5", "MLOPS1011", "maxCalibrationError")]
    public void A_gate_on_the_estimate_that_cannot_be_judged_is_a_located_error(string gate, string drift, string code, string message)
    {
        var json = Manifests.Valid.Replace("\"metric\": \"MacroAccuracy\", \"min\": 0.9", gate);
        json = drift switch
        {
            "" => json.Replace(",\n  \"drift\": { \"current\": \"data/recent.csv\", \"method\": \"auto\" }", ""),
            "drift" => json,
            _ => json.Replace("\"method\": \"auto\"", drift),
        };

        var (_, diagnostics) = Manifests.Parse(json);

        var error = Assert.Single(diagnostics);
        Assert.Equal(code, error.Id);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Enforce_is_error_or_warn()
    {
        Assert.True(Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 7, \"enforce\": \"warn\"")).Manifest!.GatesAreWarnings);
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 7, \"enforce\": \"warm\""));
        Assert.Contains("Did you mean 'warn'?", Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void A_manifest_that_is_not_an_object_is_MLOPS1004()
    {
        var (_, diagnostics) = Manifests.Parse("[1, 2]");
        Assert.Equal("MLOPS1004", Assert.Single(diagnostics).Id);
    }

    [Theory]
    [InlineData("Program")]
    [InlineData("Input")]
    [InlineData("Output")]
    [InlineData("Predict")]
    public void A_model_name_the_generated_class_cannot_take_is_MLOPS1008_at_the_name(string name)
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"Penguins\"", $"\"{name}\""));

        var d = Assert.Single(diagnostics);
        Assert.Equal(("MLOPS1008", 2, 11), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains($"'{name}' is reserved", d.Message);
        Assert.Contains($"'{name}Model'", d.Message);
    }

    [Fact]
    public void A_model_name_longer_than_an_identifier_may_be_is_MLOPS1008()
    {
        var (_, diagnostics) = Manifests.Parse(Manifests.Valid.Replace("\"Penguins\"", $"\"{new string('P', 129)}\""));

        Assert.Equal("MLOPS1008", Assert.Single(diagnostics).Id);
    }
}

using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Drift;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Drift;

/// <summary>The drift command in process: a trained model, its training data and current data → drift.json.</summary>
public sealed class DriftCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public DriftCommandTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(120, seed: 2)); // at least the 100 rows a calibration needs
        _folder.Write("same.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("later.csv", SyntheticData.Csv(200, seed: 5, massShift: 600, newIsland: "Fresh Island"));
    }

    public void Dispose() => _folder.Dispose();

    private (bool Ok, DiagnosticBag Diagnostics, JsonElement? Report) CheckDrift(string drift, string gates = "", string task = "multiclass", string label = "species", string trainer = "LbfgsMaximumEntropy")
    {
        var manifest = SyntheticData.Manifest(task, label, trainer, extra: $",\n  \"drift\": {drift}{gates}");
        var path = _folder.Write("Penguins.mlmodel.json", manifest);
        var output = _folder.PathOf("out");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fp")), string.Join("\n", diagnostics.Items));
        diagnostics = new DiagnosticBag();
        var ok = new DriftCommand(diagnostics).Run(new DriftRequest(path, output, "drift-fp"));
        var file = Path.Combine(output, "drift.json");
        return (ok, diagnostics, File.Exists(file) ? JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.Clone() : null);
    }

    private static JsonElement Feature(JsonElement report, string name) =>
        report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == name);

    [Fact]
    public void The_training_data_itself_does_not_drift()
    {
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "same.csv" }""");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.Equal(["MLOPS4106", "MLOPS4100"], diagnostics.Items.Select(d => d.Id));
        Assert.Equal(0, report!.Value.GetProperty("featuresDrifted").GetInt32());
        Assert.False(report.Value.GetProperty("datasetDrift").GetBoolean());
        Assert.Equal("drift-fp", report.Value.GetProperty("inputsFingerprint").GetString());
        var mass = Feature(report.Value, "Body Mass (g)");
        Assert.Equal("ks", mass.GetProperty("method").GetString()); // auto, 240 reference rows: a test
        Assert.Equal(0, mass.GetProperty("statistics").GetProperty("kolmogorovSmirnov").GetDouble());
        Assert.Equal(0, mass.GetProperty("statistics").GetProperty("psi").GetDouble(), 9);
        Assert.Equal("chisquare", Feature(report.Value, "island").GetProperty("method").GetString());
    }

    [Fact]
    public void Later_data_reports_the_drifting_features_and_unseen_categories()
    {
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "later.csv" }""");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var r = report!.Value;
        var mass = Feature(r, "Body Mass (g)");
        Assert.True(mass.GetProperty("drifted").GetBoolean());
        Assert.True(mass.GetProperty("value").GetDouble() < 1e-6);
        Assert.True(mass.GetProperty("statistics").GetProperty("psi").GetDouble() > 0.25);
        var island = Feature(r, "island");
        Assert.True(island.GetProperty("drifted").GetBoolean());
        Assert.Equal(["Fresh Island"], island.GetProperty("unseenCategories").EnumerateArray().Select(e => e.GetString()));
        Assert.False(Feature(r, "has tag").GetProperty("drifted").GetBoolean());
        Assert.Contains("Body Mass (g)", diagnostics.Items.Single(d => d.Id == "MLOPS4100").Message);
        Assert.Equal(200, r.GetProperty("current").GetProperty("rows").GetInt64());
    }

    [Fact]
    public void A_classifiers_accuracy_on_its_own_test_rows_is_estimated_as_their_mean_confidence_within_the_calibration_error()
    {
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "test.csv" }""");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        using var card = JsonDocument.Parse(File.ReadAllBytes(_folder.PathOf("out/modelcard.json")));
        var calibration = card.RootElement.GetProperty("calibration");
        var realized = card.RootElement.GetProperty("metrics").GetProperty("MicroAccuracy").GetDouble();
        // The card's accuracy is ONNX Runtime's predicted labels against the labels; ML.NET's evaluation says the same.
        Assert.Equal(realized, calibration.GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(120, calibration.GetProperty("rows").GetInt32());
        var estimate = report!.Value.GetProperty("estimate");
        Assert.Equal("MicroAccuracy", estimate.GetProperty("metric").GetString());
        Assert.Equal(120, estimate.GetProperty("rows").GetInt64());
        var value = estimate.GetProperty("value").GetDouble();
        Assert.Equal(calibration.GetProperty("meanConfidence").GetDouble(), estimate.GetProperty("meanConfidence").GetDouble(), 6); // the same rows, the same model
        // |mean confidence − accuracy| is at most the sum over bins of |confidence − correct| per bin: the ECE.
        Assert.InRange(Math.Abs(calibration.GetProperty("meanConfidence").GetDouble() - realized), 0, calibration.GetProperty("error").GetDouble() + 1e-6);
        // Calibrated on these very rows' bins, each bin's total moves from its confidence toward its accuracy by the
        // share N/(N + 10) of the gap, so the calibrated estimate is off by less than that ECE too.
        Assert.InRange(Math.Abs(value - realized), 0, calibration.GetProperty("error").GetDouble() + 1e-6);
        var rows = calibration.GetProperty("binRows").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var right = calibration.GetProperty("binCorrect").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal((10, 120L, (long)Math.Round(realized * 120)), (rows.Length, rows.Sum(), right.Sum()));
        // The bins are applied only where they came closer than the confidence as it is.
        Assert.Equal(calibration.GetProperty("calibratedError").GetDouble() < calibration.GetProperty("error").GetDouble(), calibration.GetProperty("applied").GetBoolean());
        Assert.Equal(calibration.GetProperty("applied").GetBoolean() ? calibration.GetProperty("calibratedError").GetDouble() : calibration.GetProperty("error").GetDouble(),
            estimate.GetProperty("calibrationError").GetDouble());
        Assert.InRange(estimate.GetProperty("margin").GetDouble(), 0.01, 0.2);
        Assert.Equal(realized, estimate.GetProperty("testValue").GetDouble(), 6);
        var info = Assert.Single(diagnostics.Items, d => d.Id == "MLOPS4106");
        Assert.Matches(@"^Penguins: estimated MicroAccuracy 0\.\d+ ± 0\.\d+ on 120 current rows \(test 0\.\d+; calibration error 0\.\d+, without labels\)\.$", info.Message);
    }

    [Fact]
    public void Gates_on_the_estimate_are_judged_in_the_report_at_their_manifest_lines()
    {
        var (ok, _, report) = CheckDrift("""{ "current": "later.csv", "maxCalibrationError": 1 }""",
            gates: ",\n  \"gates\": [\n    { \"metric\": \"estimated.MicroAccuracy\", \"min\": 0.1 },\n    { \"metric\": \"estimated.MicroAccuracy\", \"min\": 0.999 }\n  ]");

        Assert.True(ok); // a failed gate is the drift analyzer's MLOPS4007 on every compile, not a failed drift check
        var gates = report!.Value.GetProperty("estimate").GetProperty("gates").EnumerateArray().ToArray();
        Assert.Equal([true, false], gates.Select(g => g.GetProperty("passed").GetBoolean()));
        Assert.Equal([11, 12], gates.Select(g => g.GetProperty("location").GetProperty("line").GetInt32()));
        Assert.Equal(0.999, gates[1].GetProperty("min").GetDouble());
    }

    [Fact]
    public void A_model_calibrated_worse_than_drift_maxCalibrationError_gets_no_estimate_and_says_why()
    {
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "later.csv", "maxCalibrationError": 0 }""",
            gates: ",\n  \"gates\": [ { \"metric\": \"estimated.MicroAccuracy\", \"min\": 0.1 } ]");

        Assert.True(ok);
        var estimate = report!.Value.GetProperty("estimate");
        Assert.False(estimate.TryGetProperty("value", out _));
        Assert.Contains("above drift.maxCalibrationError 0", estimate.GetProperty("refused").GetString());
        Assert.False(estimate.GetProperty("gates")[0].GetProperty("passed").GetBoolean()); // no estimate passes no gate
        var warning = Assert.Single(diagnostics.Items, d => d.Id == "MLOPS4107");
        Assert.Equal(DiagnosticLevel.Warning, warning.Severity);
        Assert.Equal(9, warning.Location.Line); // at "drift"
        Assert.Matches(@"^Penguins: MicroAccuracy is not estimated on the current data: its confidence is off by 0\.\d+ on the test set's 120 rows, and by 0\.\d+ calibrated on them \(cross-fitted\), above drift\.maxCalibrationError 0\.$", warning.Message);
    }

    [Fact]
    public void A_test_set_too_small_to_calibrate_on_gets_no_estimate()
    {
        _folder.Write("test.csv", SyntheticData.Csv(60, seed: 2));

        var (_, diagnostics, report) = CheckDrift("""{ "current": "later.csv", "maxCalibrationError": 1 }""");

        Assert.Equal("its test set has 60 rows with a probability, and calibrating the confidence needs at least 100",
            report!.Value.GetProperty("estimate").GetProperty("refused").GetString());
        Assert.Single(diagnostics.Items, d => d.Id == "MLOPS4107");
    }

    [Fact]
    public void A_binary_classifiers_accuracy_is_estimated_and_a_regression_has_no_estimate()
    {
        var (_, binary, binaryReport) = CheckDrift("""{ "current": "later.csv", "maxCalibrationError": 1 }""", task: "binary", label: "heavy", trainer: "LbfgsLogisticRegression");
        Assert.Equal("Accuracy", binaryReport!.Value.GetProperty("estimate").GetProperty("metric").GetString());
        Assert.InRange(binaryReport.Value.GetProperty("estimate").GetProperty("value").GetDouble(), 0.5, 1);
        Assert.Single(binary.Items, d => d.Id == "MLOPS4106");

        var (_, perceptron, perceptronReport) = CheckDrift("""{ "current": "later.csv" }""", task: "binary", label: "heavy", trainer: "AveragedPerceptron");
        Assert.Contains("gives no probabilities", perceptronReport!.Value.GetProperty("estimate").GetProperty("refused").GetString());
        Assert.False(perceptronReport.Value.GetProperty("estimate").TryGetProperty("calibrationError", out _));
        Assert.Single(perceptron.Items, d => d.Id == "MLOPS4107");

        var (_, regression, regressionReport) = CheckDrift("""{ "current": "later.csv" }""", task: "regression", label: "bill depth", trainer: "Sdca");
        Assert.False(regressionReport!.Value.TryGetProperty("estimate", out _));
        Assert.DoesNotContain(regression.Items, d => d.Id is "MLOPS4106" or "MLOPS4107");
    }

    [Fact]
    public async Task Captured_current_data_is_cut_into_windows_of_time_with_psi_the_estimate_and_the_accuracy_realized_from_captured_outcomes()
    {
        // The service's capture: the training-like rows on day 1, then the shifted rows on day 2, each with a time and a key.
        var same = File.ReadAllLines(_folder.PathOf("same.csv"));
        var later = File.ReadAllLines(_folder.PathOf("later.csv"));
        var rows = same.Skip(1).Select((l, i) => (Line: l, Time: new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(5 * i)))
            .Concat(later.Skip(1).Select((l, i) => (Line: l, Time: new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc).AddMinutes(5 * i)))).ToArray();
        _folder.Write("captured/capture-Penguins-1.csv", same[0] + ",mlops_time,mlops_key\n"
            + string.Concat(rows.Select((r, i) => $"{r.Line},{r.Time:yyyy-MM-ddTHH:mm:ssZ},k{i}\n")));
        // Outcomes of the first 100 and the last 100 rows: their true species.
        var species = Array.IndexOf(same[0].Split(','), "species");
        var labelled = Enumerable.Range(0, 100).Concat(Enumerable.Range(rows.Length - 100, 100)).ToArray();
        Directory.CreateDirectory(_folder.PathOf("captured/outcomes"));
        var key = new Parquet.Schema.DataField<string>("mlops_key", nullable: true);
        var outcome = new Parquet.Schema.DataField<string>("mlops_outcome", nullable: true);
        await using (var stream = File.Create(_folder.PathOf("captured/outcomes/outcomes-Penguins-1.parquet")))
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(key, outcome), stream))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(key, labelled.Select(i => (string?)$"k{i}").ToArray());
            await group.WriteAsync(outcome, labelled.Select(i => (string?)rows[i].Line.Split(',')[species]).ToArray());
        }

        var (ok, diagnostics, report) = CheckDrift("""{ "current": "captured/", "maxCalibrationError": 1 }""");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var production = report!.Value.GetProperty("production");
        var windows = production.GetProperty("windows").EnumerateArray().ToArray();
        Assert.Equal(10, windows.Length); // 2026-12-01 00:00 to 2026-12-02 16:35 in ten equal spans, none empty
        Assert.Equal(440, windows.Sum(w => w.GetProperty("rows").GetInt64()));
        Assert.Equal("2026-12-01T00:00:00.000Z", windows[0].GetProperty("start").GetString());
        Assert.Equal(200, production.GetProperty("outcomes").GetInt64());
        double Psi(JsonElement w) => w.GetProperty("psi").GetProperty("Body Mass (g)").GetDouble();
        // A window of 48 rows has a noisy PSI even on training rows; the shifted day's is far above it.
        Assert.True(Psi(windows[^1]) > 1 && Psi(windows[^1]) > 2 * Psi(windows[0]), $"PSI {Psi(windows[0])} then {Psi(windows[^1])}");
        Assert.All(windows, w => Assert.InRange(w.GetProperty("estimated").GetDouble(), 0.2, 1));
        // Realized where outcomes were captured, from the model's own predictions against them.
        Assert.InRange(windows[0].GetProperty("realized").GetDouble(), 0, 1);
        Assert.Equal(100, windows.Where(w => w.TryGetProperty("realized", out _) && w.GetProperty("start").GetString()!.StartsWith("2026-12-01", StringComparison.Ordinal))
            .Sum(w => w.GetProperty("outcomes").GetInt64()));
        Assert.False(windows[4].TryGetProperty("realized", out _)); // the middle of day 1: no outcome captured
    }

    [Fact]
    public void A_current_file_that_was_not_captured_has_no_production_section()
    {
        var (_, _, report) = CheckDrift("""{ "current": "later.csv" }""");
        Assert.False(report!.Value.TryGetProperty("production", out _));
    }

    [Fact]
    public void A_folder_of_current_files_is_checked_as_the_rows_of_all_of_them()
    {
        var lines = File.ReadAllLines(_folder.PathOf("later.csv"));
        _folder.Write("captured/part-1.csv", string.Join("\n", lines.Take(121)) + "\n");
        _folder.Write("captured/part-2.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(121))) + "\n");
        _folder.Write("captured/.part-3.csv.tmp", "half written");
        var (_, _, whole) = CheckDrift("""{ "current": "later.csv" }""");

        var (ok, diagnostics, parts) = CheckDrift("""{ "current": "captured/" }""");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.Equal(200, parts!.Value.GetProperty("current").GetProperty("rows").GetInt64());
        foreach (var feature in new[] { "Body Mass (g)", "island", "has tag" })
        {
            Assert.Equal(Feature(whole!.Value, feature).GetProperty("statistics").GetRawText(), Feature(parts.Value, feature).GetProperty("statistics").GetRawText());
        }
    }

    [Fact]
    public void A_file_of_a_current_set_without_the_columns_of_the_others_is_MLOPS1039_naming_it()
    {
        _folder.Write("captured/part-1.csv", File.ReadAllText(_folder.PathOf("later.csv")));
        _folder.Write("captured/part-2.csv", "other\n1\n");

        var (ok, diagnostics, _) = CheckDrift("""{ "current": "captured/*.csv" }""");

        Assert.False(ok);
        var error = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal("MLOPS1039", error.Id);
        Assert.Contains("part-2.csv' does not have the columns of", error.Message);
    }

    [Fact]
    public void Per_feature_methods_and_thresholds_apply_and_point_at_their_settings()
    {
        var (ok, _, report) = CheckDrift("""
            {
              "current": "later.csv", "method": "psi", "threshold": 50, "share": 0.2,
              "features": { "island": { "method": "linf", "threshold": 0.9 }, "flipper length": "wasserstein" }
            }
            """);

        Assert.True(ok);
        var r = report!.Value;
        Assert.Equal(("psi", 50.0, false), Method(Feature(r, "Body Mass (g)")));
        Assert.Equal(("linf", 0.9, false), Method(Feature(r, "island")));
        Assert.Equal(("wasserstein", 0.1), (Method(Feature(r, "flipper length")).Item1, Method(Feature(r, "flipper length")).Item2));
        var location = Feature(r, "island").GetProperty("location");
        Assert.Equal((11, 17), (location.GetProperty("line").GetInt32(), location.GetProperty("column").GetInt32()));
        Assert.Equal(9, Feature(r, "has tag").GetProperty("location").GetProperty("line").GetInt32()); // at "drift"

        static (string?, double, bool) Method(JsonElement f) =>
            (f.GetProperty("method").GetString(), f.GetProperty("threshold").GetDouble(), f.GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public void Bad_drift_settings_are_located_errors_and_write_no_report()
    {
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "later.csv", "features": { "islnd": "psi", "island": "ks" } }""");

        Assert.False(ok);
        Assert.Null(report);
        Assert.Equal([("MLOPS4101", 9, 52), ("MLOPS4102", 9, 68)],
            diagnostics.Items.Where(d => d.Severity == DiagnosticLevel.Error).Select(d => (d.Id, d.Location.Line, d.Location.Column)));
        Assert.Contains("Did you mean 'island'?", diagnostics.Items[0].Message);
    }

    [Fact]
    public void Current_data_without_a_feature_column_is_an_error_at_the_path()
    {
        _folder.Write("partial.csv", "id,island\n1,Biscoe\n");
        var (ok, diagnostics, report) = CheckDrift("""{ "current": "partial.csv" }""");

        Assert.False(ok);
        Assert.Null(report);
        var missing = diagnostics.Items.Where(d => d.Id == "MLOPS4103").ToArray();
        Assert.Equal(["Body Mass (g)", "flipper length", "has tag"], missing.Select(d => d.Message.Split('\'')[3]));
        Assert.All(missing, d => Assert.Equal((9, 25), (d.Location.Line, d.Location.Column)));
    }

    [Fact]
    public void An_imported_model_has_no_training_data_so_drift_is_a_warning_and_an_empty_report()
    {
        CheckDrift("""{ "current": "same.csv" }"""); // trains Penguins: its ONNX becomes the "external" model
        File.Copy(_folder.PathOf("out/model.onnx"), _folder.PathOf("external.onnx"), overwrite: true);
        var path = _folder.Write("Imported.mlmodel.json", """
            {
              "name": "Imported",
              "onnx": "external.onnx",
              "drift": { "current": "later.csv" }
            }
            """);
        var output = _folder.PathOf("imported");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fp")), string.Join("\n", diagnostics.Items));

        diagnostics = new DiagnosticBag();
        Assert.True(new DriftCommand(diagnostics).Run(new DriftRequest(path, output, "drift-fp")));

        var warning = Assert.Single(diagnostics.Items);
        Assert.Equal(("MLOPS4104", 4, 3), (warning.Id, warning.Location.Line, warning.Location.Column));
        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "drift.json")));
        Assert.Equal(0, report.RootElement.GetProperty("featuresChecked").GetInt32());
        Assert.Equal("drift-fp", report.RootElement.GetProperty("inputsFingerprint").GetString());
    }
}

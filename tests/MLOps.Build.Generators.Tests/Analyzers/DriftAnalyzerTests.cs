using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using MLOps.Build.Generators.Drift;

namespace MLOps.Build.Generators.Tests.Analyzers;

/// <summary>drift.json and the model card in, located MLOPS4xxx diagnostics out, at the severity .editorconfig sets.</summary>
public sealed class DriftAnalyzerTests
{
    private const string Manifest = "/repo/Models/Weather.mlmodel.json";

    /// <summary>A report as the trainer writes it: temp_max drifts (KS), weather gains a category, wind loses values.</summary>
    private static string Report(bool datasetDrift = true, int schemaVersion = 1) => $$"""
        {
          "schemaVersion": {{schemaVersion}},
          "model": "WeatherModel",
          "inputsFingerprint": "abc",
          "modelFingerprint": "def",
          "reference": { "path": "data/train.csv", "sha256": "1111", "rows": 1096 },
          "current": { "path": "data/recent.csv", "rows": 365 },
          "method": "auto",
          "share": 0.5,
          "featuresChecked": 3,
          "featuresDrifted": 2,
          "datasetDrift": {{(datasetDrift ? "true" : "false")}},
          "location": { "path": "{{Manifest}}", "line": 20, "column": 3 },
          "features": [
            { "feature": "temp_max", "kind": "float", "method": "ks", "statistic": "Kolmogorov–Smirnov p-value", "value": 0.00012,
              "threshold": 0.05, "drifted": true, "location": { "path": "{{Manifest}}", "line": 22, "column": 17 },
              "statistics": { "psi": 0.31, "kolmogorovSmirnov": 0.2, "kolmogorovSmirnovPValue": 0.00012, "wasserstein": 0.4 },
              "referenceMissingRate": 0, "currentMissingRate": 0, "unseenCategories": [], "unseenRows": 0, "referenceRows": 1096, "currentRows": 365 },
            { "feature": "station", "kind": "category", "method": "chisquare", "statistic": "chi-square p-value", "value": 0.001,
              "threshold": 0.05, "drifted": true, "location": { "path": "{{Manifest}}", "line": 20, "column": 3 },
              "statistics": { "psi": 0.5, "chiSquare": 30, "chiSquarePValue": 0.001, "jensenShannon": 0.2, "lInfinity": 0.2 },
              "referenceMissingRate": 0, "currentMissingRate": 0, "unseenCategories": ["Tacoma", "Everett"], "unseenRows": 40, "referenceRows": 1096, "currentRows": 365 },
            { "feature": "wind", "kind": "float", "method": "ks", "statistic": "Kolmogorov–Smirnov p-value", "value": 0.4,
              "threshold": 0.05, "drifted": false, "location": { "path": "{{Manifest}}", "line": 20, "column": 3 },
              "statistics": { "psi": 0.01 },
              "referenceMissingRate": 0.01, "currentMissingRate": 0.25, "unseenCategories": [], "unseenRows": 0, "referenceRows": 1096, "currentRows": 365 }
          ]
        }
        """;

    private static Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<DriftAnalyzer, DefaultVerifier> Test(string report)
    {
        var test = AnalyzerHarness.Test<DriftAnalyzer>();
        test.AddFile("/repo/obj/mlops/WeatherModel/drift.json", report, "DriftReport", "WeatherModel");
        return test;
    }

    private static DiagnosticResult Expect(string id, DiagnosticSeverity severity, int line, int column, params object[] arguments) =>
        new DiagnosticResult(id, severity).WithSpan(Manifest, line, column, line, column).WithArguments(arguments);

    [Fact]
    public async Task Each_drifting_feature_unseen_category_missing_rate_and_the_dataset_is_a_located_warning()
    {
        var test = Test(Report());
        // Locations in the manifest carry no span, so the harness orders them by ID, then line.
        test.ExpectedDiagnostics.Add(Expect("MLOPS4001", DiagnosticSeverity.Warning, 20, 3,
            "station", "WeatherModel", "chi-square p-value", "0.001", "0.05", "data/recent.csv", "; PSI 0.5"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4001", DiagnosticSeverity.Warning, 22, 17,
            "temp_max", "WeatherModel", "Kolmogorov–Smirnov p-value", "1.2E-4", "0.05", "data/recent.csv", "; PSI 0.31"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4002", DiagnosticSeverity.Warning, 20, 3,
            "WeatherModel", 2, 3, "temp_max, station", "50 %"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4003", DiagnosticSeverity.Warning, 20, 3,
            "station", "WeatherModel", 2, 40L, "data/recent.csv", "\"Tacoma\", \"Everett\""));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4006", DiagnosticSeverity.Warning, 20, 3,
            "wind", "WeatherModel", "25 %", "data/recent.csv", "1 %"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Dataset_drift_of_a_wide_table_names_twenty_features_and_counts_the_others()
    {
        var feature = Report().Split("\"features\": [")[1].Split("},\n    { \"feature\": \"station\"")[0] + "}";
        var features = string.Join(",\n", Enumerable.Range(0, 25).Select(i => feature.Replace("\"temp_max\"", $"\"pixel {i}\"")));
        var report = Report().Split("\"features\": [")[0].Replace("\"featuresChecked\": 3", "\"featuresChecked\": 25").Replace("\"featuresDrifted\": 2", "\"featuresDrifted\": 25")
            + "\"features\": [" + features + "\n  ]\n}";
        var test = Test(report);
        test.TestState.AnalyzerConfigFiles.Add(("/src/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MLOPS4001.severity = none\n"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4002", DiagnosticSeverity.Warning, 20, 3,
            "WeatherModel", 25, 25, string.Join(", ", Enumerable.Range(0, 20).Select(i => $"pixel {i}")) + " and 5 others", "50 %"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Editorconfig_severity_applies_to_drift_in_the_manifest()
    {
        var test = Test(Report(datasetDrift: false));
        test.TestState.AnalyzerConfigFiles.Add(("/src/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.MLOPS4001.severity = error
            dotnet_diagnostic.MLOPS4003.severity = none
            dotnet_diagnostic.MLOPS4006.severity = suggestion
            """));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4001", DiagnosticSeverity.Error, 20, 3,
            "station", "WeatherModel", "chi-square p-value", "0.001", "0.05", "data/recent.csv", "; PSI 0.5"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4001", DiagnosticSeverity.Error, 22, 17,
            "temp_max", "WeatherModel", "Kolmogorov–Smirnov p-value", "1.2E-4", "0.05", "data/recent.csv", "; PSI 0.31"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4006", DiagnosticSeverity.Info, 20, 3,
            "wind", "WeatherModel", "25 %", "data/recent.csv", "1 %"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_failed_gate_on_the_estimated_accuracy_is_an_error_at_the_gate_and_a_passed_one_is_silent()
    {
        var estimate = $$"""
              "estimate": { "metric": "MicroAccuracy", "value": 0.8123, "margin": 0.021, "rows": 5000, "testValue": 0.9,
                "calibrationError": 0.03, "maxCalibrationError": 0.05, "gates": [
                { "metric": "estimated.MicroAccuracy", "min": 0.85, "passed": false, "location": { "path": "{{Manifest}}", "line": 31, "column": 5 } },
                { "metric": "estimated.MicroAccuracy", "min": 0.5, "max": 0.95, "passed": true, "location": { "path": "{{Manifest}}", "line": 32, "column": 5 } } ] },
            """;
        var test = Test(Report(datasetDrift: false).Replace("\"features\": [", estimate + "\n  \"features\": ["));
        test.TestState.AnalyzerConfigFiles.Add(("/src/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MLOPS4001.severity = none\ndotnet_diagnostic.MLOPS4003.severity = none\ndotnet_diagnostic.MLOPS4006.severity = none\n"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4007", DiagnosticSeverity.Error, 31, 5,
            "WeatherModel", "MicroAccuracy", "0.812", "0.021", 5000L, "data/recent.csv", "min 0.85", ""));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_refused_estimate_fails_its_gates_and_says_why()
    {
        var estimate = $$"""
              "estimate": { "metric": "Accuracy", "rows": 0, "calibrationError": 0.2, "maxCalibrationError": 0.05,
                "refused": "the model's calibration error on its test set is 0.2", "gates": [
                { "metric": "estimated.Accuracy", "min": 0.5, "max": 0.99, "passed": false, "location": { "path": "{{Manifest}}", "line": 31, "column": 5 } } ] },
            """;
        var test = Test(Report(datasetDrift: false).Replace("\"features\": [", estimate + "\n  \"features\": ["));
        test.TestState.AnalyzerConfigFiles.Add(("/src/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MLOPS4001.severity = none\ndotnet_diagnostic.MLOPS4003.severity = none\ndotnet_diagnostic.MLOPS4006.severity = none\n"));
        test.ExpectedDiagnostics.Add(Expect("MLOPS4007", DiagnosticSeverity.Error, 31, 5,
            "WeatherModel", "Accuracy", "n/a", "n/a", 0L, "data/recent.csv", "min 0.5, max 0.99", "; no estimate: the model's calibration error on its test set is 0.2"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_report_of_another_schema_version_is_MLOPS4005()
    {
        var test = Test(Report(schemaVersion: 7));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS4005", DiagnosticSeverity.Warning)
            .WithSpan("/repo/obj/mlops/WeatherModel/drift.json", 1, 1, 1, 1)
            .WithArguments("/repo/obj/mlops/WeatherModel/drift.json", "it has schema version 7 and this MLOps.Build reads version 1"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_trained_on_other_data_than_the_manifest_pins_is_stale()
    {
        var card = File.ReadAllText(GeneratorHarness.Fixture("ChurnModel"));
        var manifest = """
            {
              "name": "ChurnModel", // comments are fine
              "data": {
                "train": { "path": "customers.csv", "sha256": "99999999999999aaaa" },
              },
            }
            """;
        var test = AnalyzerHarness.Test<DriftAnalyzer>();
        test.AddFile("/repo/obj/mlops/ChurnModel/modelcard.json", card, "ModelCard", "ChurnModel");
        test.AddFile("/repo/Models/Churn.mlmodel.json", manifest, "Manifest", "ChurnModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS4004", DiagnosticSeverity.Warning)
            .WithSpan("/repo/Models/Churn.mlmodel.json", 4, 5, 4, 5)
            .WithArguments("ChurnModel", "customers.csv", "377450b02a13", "999999999999"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_trained_on_the_pinned_data_and_a_report_without_drift_are_silent()
    {
        var card = File.ReadAllText(GeneratorHarness.Fixture("ChurnModel"));
        var manifest = """{ "data": { "train": { "path": "customers.csv", "sha256": "377450b02a13b3f48d62e933252aa0840d357b4df0478dfae012cae82e9e6c3c" } } }""";
        var test = Test(Report(datasetDrift: false).Replace("\"drifted\": true", "\"drifted\": false")
            .Replace("[\"Tacoma\", \"Everett\"]", "[]").Replace("\"currentMissingRate\": 0.25", "\"currentMissingRate\": 0.02"));
        test.AddFile("/repo/obj/mlops/ChurnModel/modelcard.json", card, "ModelCard", "ChurnModel");
        test.AddFile("/repo/Models/Churn.mlmodel.json", manifest, "Manifest", "ChurnModel");

        await test.RunAsync();
    }
}

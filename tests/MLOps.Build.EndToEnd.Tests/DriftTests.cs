using System.Text.RegularExpressions;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Drift as a new user meets it: the sample's Seattle weather model trained on 2012–2014, with 2015 as the current
/// data, in a fresh consumer project built with the packed packages.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class DriftTests(PackagesFixture packages)
{
    private const string Manifest = """
        {
          "name": "WeatherModel",
          "task": "multiclass",
          "label": "weather",
          "data": {
            "train": "data/seattle-weather-2012-2014.csv",
            "test": "data/seattle-weather-2015.csv"
          },
          "exclude": ["date"],
          "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15, "NumberOfIterations": 30 } },
          "drift": { "current": "data/CURRENT" }
        }
        """;

    private const string Program = """
        using Weather;

        using var model = WeatherModel.Load();
        var output = model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = 48f, TempMin = 10, Wind = 3 });
        Console.WriteLine(output.PredictedLabel);
        """;

    private ConsumerProject Weather(string name, string current)
    {
        var project = new ConsumerProject(packages, name);
        project.CopySampleWeatherData();
        project.Write("Models/WeatherModel.mlmodel.json", Manifest.Replace("CURRENT", current));
        project.SetModels("Models/WeatherModel.mlmodel.json");
        project.Write("Program.cs", Program.Replace("using Weather;", $"using {name};"));
        return project;
    }

    [Fact]
    public void Later_data_reports_the_drifting_features_at_the_manifest_and_editorconfig_can_fail_the_build()
    {
        using var project = Weather("Drifting", "seattle-weather-2015.csv");
        var manifest = project.PathOf("Models/WeatherModel.mlmodel.json");
        project.Verify(nameof(Later_data_reports_the_drifting_features_at_the_manifest_and_editorconfig_can_fail_the_build), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains("MLOPS4100: WeatherModel: drift checked, 365 current rows against 1096 training rows: 3 of 4 features drift (precipitation, temp_max, temp_min), dataset drift.", first.Output);
            var drifting = first.WithCode("MLOPS4001").DistinctBy(d => d.Message).ToArray();
            Assert.Equal(["precipitation", "temp_max", "temp_min"], drifting.Select(d => d.Message.Split('\'')[1]).Order());
            Assert.All(drifting, d => Assert.Equal((manifest, 11, 3, "warning"), (d.File, d.Line, d.Column, d.Severity)));
            Assert.Contains(drifting, d => d.Message.Contains("Feature 'temp_max' of WeatherModel drifts: normalized Wasserstein distance 0.18 (threshold 0.1) between the training data and 'data/seattle-weather-2015.csv'; PSI 0.069"));
            Assert.Contains(first.WithCode("MLOPS4002"), d => d.Message.StartsWith("WeatherModel: 3 of 4 features drift (precipitation, temp_max, temp_min)"));
            // The literal 48 °C lies above anything in the training data.
            Assert.Contains(first.WithCode("MLOPS6001"), d => d.File.EndsWith("Program.cs") && d.Line == 4 && d.Message.Contains("TempMax = 48 lies outside the training range [-1.6, 35.6] of 'temp_max'"));

            // Nothing changed: neither training nor the drift check runs again.
            var again = project.Build();
            Assert.True(again.Succeeded, again.Output);
            Assert.DoesNotContain("MLOPS4100", again.Output);
            Assert.Contains("MLOPS2011: WeatherModel is up to date", again.Output);

            project.Write(".editorconfig", """
                root = true

                [*.cs]
                dotnet_diagnostic.MLOPS4001.severity = error
                dotnet_diagnostic.MLOPS6001.severity = error
                """);
            var strict = project.Build();
            Assert.False(strict.Succeeded);
            Assert.Equal(3, strict.Errors.Where(e => e.Code == "MLOPS4001").DistinctBy(e => e.Message).Count());
            Assert.Contains(strict.Errors, e => e.Code == "MLOPS6001");
        });
    }

    [Fact]
    public void The_training_data_as_current_data_reports_no_drift_and_new_current_data_is_checked_without_retraining()
    {
        using var project = Weather("Steady", "seattle-weather-2012-2014.csv");
        project.Verify(nameof(The_training_data_as_current_data_reports_no_drift_and_new_current_data_is_checked_without_retraining), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains("MLOPS4100: WeatherModel: drift checked, 1096 current rows against 1096 training rows: no feature drifts.", first.Output);
            Assert.DoesNotContain(first.Diagnostics, d => d.Code.StartsWith("MLOPS4", StringComparison.Ordinal) && d.Severity != "message");
            Assert.True(File.Exists(project.PathOf("obj/mlops/WeatherModel/drift.json")));

            // New current data (not pinned: it is replaced as production data comes in): drift again, no training.
            var lines = File.ReadAllLines(project.PathOf("Models/data/seattle-weather-2015.csv"));
            project.Write("Models/data/seattle-weather-2012-2014.csv.recent", string.Join("\n", lines) + "\n");
            // The lock pinned the current data too; a pin is optional for it, so replace the whole entry.
            var manifest = project.Read("Models/WeatherModel.mlmodel.json");
            string WithCurrent(string path) => Regex.Replace(manifest, "\"current\": \\{[^}]*\\}", $"\"current\": \"{path}\"");
            Assert.NotEqual(manifest, WithCurrent("x"));
            project.Write("Models/WeatherModel.mlmodel.json", WithCurrent("data/seattle-weather-2012-2014.csv.recent"));
            var later = project.Build();
            Assert.True(later.Output.Contains("MLOPS1024"), later.Output); // ".recent" is no data format: a coded error, not a crash
            project.Write("Models/data/recent.csv", string.Join("\n", lines) + "\n");
            project.Write("Models/WeatherModel.mlmodel.json", WithCurrent("data/recent.csv"));
            var recent = project.Build();
            Assert.True(recent.Succeeded, recent.Output);
            Assert.Contains("MLOPS2011: WeatherModel is up to date", recent.Output);
            Assert.DoesNotContain("MLOPS2010", recent.Output);
            Assert.Contains("3 of 4 features drift", recent.Output);
            Assert.NotEmpty(recent.WithCode("MLOPS4001"));
        });
    }
}

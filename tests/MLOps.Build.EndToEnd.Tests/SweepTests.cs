using System.Text.Json;
using System.Text.RegularExpressions;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// A sweep as a user meets it: the sample's weather data in a fresh consumer project, the trainer chosen by
/// cross-validation during the build, every trial cached, the winner typed, gated and accepted like any model.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class SweepTests(PackagesFixture packages)
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
          "sweep": {
            "trials": TRIALS,
            "folds": 2,
            "trainers": ["LightGbm", "FastTree"],
            "space": {
              "LightGbm": { "NumberOfLeaves": { "min": 4, "max": 32, "scale": "log" }, "NumberOfIterations": [20, 40] },
              "FastTree": { "NumberOfLeaves": { "min": 4, "max": 32, "scale": "log" }, "NumberOfTrees": [20, 40] }
            }
          },
          "seed": 7,
          "gates": [ { "metric": "MicroAccuracy", "min": MIN } ]
        }
        """;

    private const string Commit = "1234567890abcdef1234567890abcdef12345678";

    private ConsumerProject Weather(string name, int trials)
    {
        var project = new ConsumerProject(packages, name);
        project.CopySampleWeatherData();
        project.Write(".git/HEAD", Commit + "\n");
        WriteManifest(project, trials, 0.7);
        project.ExtraProjectXml = "<PropertyGroup><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles></PropertyGroup>";
        project.SetModels("Models/WeatherModel.mlmodel.json");
        project.Write("Program.cs", $$"""
            using var model = {{name}}.WeatherModel.Load();
            var output = model.Predict(new {{name}}.WeatherModel.Input { Precipitation = 12, TempMax = 9, TempMin = 4, Wind = 5 });
            Console.WriteLine($"predicted {output.PredictedLabel}");
            """);
        return project;
    }

    private static void WriteManifest(ConsumerProject project, int trials, double min) =>
        project.Write("Models/WeatherModel.mlmodel.json", Manifest.Replace("TRIALS", trials.ToString()).Replace("MIN", min.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static (int Cached, int Trained) Counts(BuildResult build)
    {
        // "(6 cached, 3 trained)", or "(6 cached, 3 trained; 1 warm-started from earlier winners)" with a run history.
        var matches = Regex.Matches(build.Output, @"MLOPS2020: WeatherModel: sweep of \d+ trials \((\d+) cached, (\d+) trained[;)]");
        Assert.True(matches.Count == 1, build.Output);
        var match = matches[0];
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    [Fact]
    public void A_sweep_trains_its_winner_in_the_build_caches_every_trial_and_gives_one_model_on_any_number_of_cores()
    {
        using var project = Weather("Sweeping", trials: 6);
        using var serial = Weather("SweepingSerially", trials: 9);
        project.Verify(nameof(A_sweep_trains_its_winner_in_the_build_caches_every_trial_and_gives_one_model_on_any_number_of_cores), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Equal((0, 6), Counts(first));
            Assert.Contains(first.WithCode("MLOPS3004"), d => d.Message.StartsWith("WeatherModel passed its gates: MicroAccuracy"));

            // The winner is what the card, the report and the generated class describe, and what the app scores.
            var sweep = JsonDocument.Parse(project.Read("obj/mlops/WeatherModel/sweep.json")).RootElement;
            var best = sweep.GetProperty("best");
            var card = JsonDocument.Parse(project.Read("obj/mlops/WeatherModel/modelcard.json")).RootElement;
            Assert.Equal(best.GetProperty("trainer").GetString(), card.GetProperty("trainer").GetProperty("name").GetString());
            Assert.Equal(best.GetProperty("options").ToString(), card.GetProperty("trainer").GetProperty("options").ToString());
            Assert.Equal(6, sweep.GetProperty("trials").GetArrayLength());
            var report = project.Read("obj/mlops/WeatherModel/report.md");
            Assert.True(report.Contains("#### Sweep: 6 trials, random, 2-fold MacroAccuracy (0 cached, 6 trained, 0 pruned, 0 failed)"), report);
            var generated = Directory.GetFiles(project.PathOf("obj"), "Sweeping.WeatherModel.g.cs", SearchOption.AllDirectories);
            Assert.Contains($"/// Chosen by a random sweep of 6 trials: {best.GetProperty("trainer").GetString()} (", File.ReadAllText(Assert.Single(generated)));
            var run = project.RunApp();
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Matches("predicted (drizzle|fog|rain|snow|sun)", run.Output);

            // Nothing changed: no trial and no training.
            var again = project.Build();
            Assert.True(again.Succeeded, again.Output);
            Assert.Contains("MLOPS2011: WeatherModel is up to date", again.Output);
            Assert.DoesNotContain("MLOPS2020", again.Output);

            // Three more trials: only those are cross-validated.
            WriteManifest(project, 9, 0.7);
            var more = project.Build("MLOpsUpdateLock=true");
            Assert.True(more.Succeeded, more.Output);
            Assert.Equal((6, 3), Counts(more));
            // The first build's winner, from the run history, is tried first.
            Assert.Contains("; 1 warm-started from earlier winners)", more.Output);

            // A fresh clone with its own cache, one trial at a time, reaches the same model byte for byte.
            var alone = serial.Build("MLOpsUpdateLock=true", "MLOpsSweepParallelism=1");
            Assert.True(alone.Succeeded, alone.Output);
            Assert.Equal((0, 9), Counts(alone));
            Assert.Equal(project.ModelHash("WeatherModel"), serial.ModelHash("WeatherModel"));

            // The run history has one line per training run, with the commit it was built from.
            var history = Directory.GetFiles(Path.Combine(project.CacheDirectory, "runs"), "WeatherModel.jsonl", SearchOption.AllDirectories);
            var lines = File.ReadAllLines(Assert.Single(history)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.Equal(Commit, l.GetProperty("commit").GetString()));
            Assert.Equal(project.ModelHash("WeatherModel"), lines[1].GetProperty("modelSha256").GetString());
            Assert.Equal(9, lines[1].GetProperty("sweep").GetProperty("configurations").GetInt32());

            // Gates judge the winner; tightening one fails the build without another trial.
            var pinned = project.Read("Models/WeatherModel.mlmodel.json");
            Assert.Contains("\"min\": 0.7 }", pinned);
            project.Write("Models/WeatherModel.mlmodel.json", pinned.Replace("\"min\": 0.7 }", "\"min\": 0.99 }"));
            var strict = project.Build();
            Assert.False(strict.Succeeded);
            Assert.Contains(strict.Errors, e => e.Code == "MLOPS3001" && e.File == project.PathOf("Models/WeatherModel.mlmodel.json"));
            Assert.DoesNotContain("MLOPS2020", strict.Output);
        });
    }
}

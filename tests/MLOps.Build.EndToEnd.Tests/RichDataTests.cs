using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// One fresh consumer with the richer inputs of real projects: a text classifier over Reuters newswire articles
/// (free text and a timestamp in Reuters' own format, compiled), Seattle weather with its date as a feature, and an imported
/// transformer (all-MiniLM-L6-v2) whose inputs are [batch, sequence]; built with dotnet build, run with dotnet run.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class RichDataTests(PackagesFixture packages)
{
    private const string NewsManifest = """
        {
          "name": "NewsTopic",
          "task": "binary",
          "label": "topic",
          "positiveClass": "crude",
          "data": { "train": { "path": "data/reuters.csv" }, "testFraction": 0.3 },
          "columns": { "date": { "format": "d-MMM-yyyy HH:mm:ss.ff" }, "body": "text" },
          "trainer": { "name": "SdcaLogisticRegression" },
          "seed": 1,
          "gates": [{ "metric": "Accuracy", "min": 0.85 }]
        }
        """;

    private const string WeatherManifest = """
        {
          "name": "WeatherByDate",
          "task": "multiclass",
          "label": "weather",
          "data": {
            "train": { "path": "data/seattle-weather-2012-2014.csv" },
            "test": { "path": "data/seattle-weather-2015.csv" }
          },
          "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15, "NumberOfIterations": 100, "MinimumExampleCountPerLeaf": 10 } },
          "seed": 42
        }
        """;

    private const string Program = """
        using Microsoft.ML.OnnxRuntime;
        using Rich;

        using var news = NewsTopic.Load();
        var oil = news.Predict(new NewsTopic.Input
        {
            Date = new DateTime(1987, 3, 2, 10, 59, 0),
            Title = "SAUDI ARABIA SAYS OPEC WILL HOLD CRUDE OIL OUTPUT",
            Body = "Saudi Arabia's oil minister said OPEC members would keep crude oil production within quotas to defend prices of 18 dlrs a barrel, and that oil exports would not rise.",
        });
        var deal = news.Predict(new NewsTopic.Input
        {
            Date = new DateTime(1987, 2, 26, 15, 18, 0),
            Title = "ACME CORP TO ACQUIRE WIDGET INC",
            Body = "Acme Corp said it agreed to acquire Widget Inc for 25 dlrs a share in cash, or about 120 mln dlrs. The company said the merger agreement was approved by both boards and the acquisition of the shares is subject to shareholder approval.",
        });
        Console.WriteLine($"oil={oil.PredictedLabel} deal={deal.PredictedLabel}");

        using var weather = WeatherByDate.Load();
        var january = weather.Predict(new WeatherByDate.Input { Date = new DateTime(2015, 1, 20), Precipitation = 0f, TempMax = 9f, TempMin = 3f, Wind = 2f });
        var july = weather.Predict(new WeatherByDate.Input { Date = new DateTime(2015, 7, 20), Precipitation = 0f, TempMax = 9f, TempMin = 3f, Wind = 2f });
        Console.WriteLine($"same weather, other month: {january.PredictedLabel}/{july.PredictedLabel} differ={!january.Scores.SequenceEqual(july.Scores)}");

        using var minilm = MiniLM.Load();
        long[] ids = [101, 1996, 3857, 4499, 1996, 2944, 102];
        var typed = minilm.Predict(new MiniLM.Input { InputIds = ids, AttentionMask = ids.Select(_ => 1L).ToArray(), TokenTypeIds = new long[ids.Length] });
        using var raw = new InferenceSession(MLOps.Runtime.EmbeddedModels.Read(typeof(MiniLM).Assembly, "MiniLM"));
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var mask = OrtValue.CreateTensorValueFromMemory(ids.Select(_ => 1L).ToArray(), [1, ids.Length]);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], [1, ids.Length]);
        using var results = raw.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [inputIds, mask, types], ["last_hidden_state"]);
        var identical = results[0].GetTensorDataAsSpan<float>().SequenceEqual(typed.LastHiddenState.Data);
        Console.WriteLine($"embedding shape={string.Join('x', typed.LastHiddenState.Shape)} identical-to-raw={identical}");
        """;

    [Fact]
    public void Text_date_and_transformer_models_train_import_and_score_through_the_typed_API()
    {
        using var project = new ConsumerProject(packages, "Rich");
        project.Write("Models/data/reuters.csv", RealText.ReutersCsv());
        project.CopySampleWeatherData();
        File.WriteAllBytes(project.PathOf("Models/MiniLM.onnx"), RealText.MiniLM());
        project.Write("Models/NewsTopic.mlmodel.json", NewsManifest);
        project.Write("Models/WeatherByDate.mlmodel.json", WeatherManifest);
        project.Write("Models/MiniLM.mlmodel.json", "{ \"name\": \"MiniLM\", \"onnx\": { \"path\": \"MiniLM.onnx\" } }\n");
        project.SetModels("Models/NewsTopic.mlmodel.json", "Models/WeatherByDate.mlmodel.json", "Models/MiniLM.mlmodel.json");
        project.Write("Program.cs", Program);

        project.Verify(nameof(Text_date_and_transformer_models_train_import_and_score_through_the_typed_API), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains("oil=True deal=False", run.Output);
            Assert.Contains("differ=True", run.Output);
            Assert.Contains("embedding shape=7x384 identical-to-raw=True", run.Output);

            using var news = JsonDocument.Parse(project.Read("obj/mlops/NewsTopic/modelcard.json"));
            var inputs = news.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("column").GetString()!);
            Assert.Equal(["datetime", "text", "text"], new[] { "date", "title", "body" }.Select(c => inputs[c].GetProperty("kind").GetString()));
            Assert.True(news.RootElement.GetProperty("metrics").GetProperty("Accuracy").GetDouble() >= 0.85);
            Assert.True(news.RootElement.GetProperty("parity").GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);

            using var weather = JsonDocument.Parse(project.Read("obj/mlops/WeatherByDate/modelcard.json"));
            var date = weather.RootElement.GetProperty("featureImportance").EnumerateArray().Single(i => i.GetProperty("column").GetString() == "date");
            Assert.True(date.GetProperty("drop").GetDouble() > 0, "the date's parts (the month above all) matter for Seattle's weather");

            using var minilm = JsonDocument.Parse(project.Read("obj/mlops/MiniLM/modelcard.json"));
            Assert.Equal(["batch", "sequence"], minilm.RootElement.GetProperty("inputs")[0].GetProperty("shapeNames").EnumerateArray().Select(n => n.GetString()));

            // The date and text models compile (the text one checked against ML.NET itself); a transformer stays with
            // ONNX Runtime, and says why.
            Assert.Equal("compiled", weather.RootElement.GetProperty("scoring").GetProperty("engine").GetString());
            Assert.Equal("compiled", news.RootElement.GetProperty("scoring").GetProperty("engine").GetString());
            Assert.True(news.RootElement.GetProperty("scoring").GetProperty("textAgainstMLNet").GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
            Assert.DoesNotContain("MLOPS2035: NewsTopic", build.Output);
            Assert.Contains("dynamic dimension", minilm.RootElement.GetProperty("scoring").GetProperty("reason").GetString());

            // So the app cannot leave ONNX Runtime out while it imports the transformer: MLOPS2036 at that manifest
            // alone, before anything is published.
            var publish = DotNet.Run(project.Root, null, "publish", "-f", project.TargetFrameworks.Split(';')[^1], "-c", "Release", "-o", project.PathOf("published"), "-nodeReuse:false", "-p:MLOpsOnnxRuntime=false");
            Assert.False(publish.Succeeded, publish.Output);
            var refused = BuildDiagnostic.Parse(publish.Output).Where(d => d.Code == "MLOPS2036").Select(d => Path.GetFileName(d.File)).Distinct().Order();
            Assert.Equal(["MiniLM.mlmodel.json"], refused);
            // It says why, from the engine and reason its card states (ReadScoringEngines), not a pattern over the card's text.
            Assert.Contains(BuildDiagnostic.Parse(publish.Output), d => d.Code == "MLOPS2036" && d.Message.StartsWith("MiniLM is scored by ONNX Runtime (", StringComparison.Ordinal));
        });
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Drift;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>
/// A model over free text, a date and a number with a missing-value policy and row filters, trained, exported and
/// checked against ONNX Runtime in process: the label depends on the text's words and the date's month, so both must
/// matter.
/// </summary>
public sealed class RichModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <param name="extraWords">Filler words added to every ticket: a text drift in length.</param>
    private static string Tickets(int rows, int seed, int extraWords = 0)
    {
        string[] urgent = ["outage", "down", "cannot", "login", "error", "crash"];
        string[] calm = ["question", "invoice", "thanks", "feature", "idea", "docs"];
        string[] filler = ["the", "our", "team", "since", "this", "morning", "please", "help", "with", "account"];
        var random = new Random(seed);
        var text = new StringBuilder("Ticket Text,Opened,Load (%),priority\n");
        for (var i = 0; i < rows; i++)
        {
            var month = 1 + random.Next(12);
            var isUrgent = random.Next(2) == 0;
            var words = Enumerable.Range(0, 5 + extraWords + random.Next(6)).Select(_ => filler[random.Next(filler.Length)])
                .Append((isUrgent ? urgent : calm)[random.Next(6)].ToUpperInvariant()).OrderBy(_ => random.Next());
            // Winter tickets are high priority whatever they say: the date's month matters.
            var high = isUrgent || month is 12 or 1 or 2;
            var load = random.NextDouble() < 0.1 ? "" : random.NextDouble() < 0.02 ? "950" : (random.NextDouble() * 100).ToString("0.0", CultureInfo.InvariantCulture);
            var label = random.NextDouble() < 0.03 ? "" : high ? "high" : "low";
            text.Append(CultureInfo.InvariantCulture, $"\"{string.Join(' ', words)}, see above\",2024-{month:00}-{1 + random.Next(28):00},{load},{label}\n");
        }
        return text.ToString();
    }

    [Fact]
    public void Text_and_date_features_train_export_match_ONNX_Runtime_and_report_their_preprocessing_filters_and_importance()
    {
        _folder.Write("train.csv", Tickets(600, 1));
        _folder.Write("test.csv", Tickets(200, 2));
        var path = _folder.Write("Tickets.mlmodel.json", """
            {
              "name": "Tickets",
              "task": "multiclass",
              "label": "priority",
              "data": { "train": "train.csv", "test": "test.csv" },
              "columns": { "Load (%)": { "missing": "median" } },
              "rows": { "missingLabel": "drop", "ranges": { "Load (%)": { "min": 0, "max": 100 } } },
              "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 8 } },
              "seed": 3
            }
            """);
        var diagnostics = new DiagnosticBag();
        var output = _folder.PathOf("out");

        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fingerprint-1"));

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.Equal(2, diagnostics.Items.Count(d => d.Id == "MLOPS1045"));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        var root = card.RootElement;
        Assert.True(root.GetProperty("parity").GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
        Assert.True(root.GetProperty("metrics").GetProperty("MacroAccuracy").GetDouble() > 0.85);

        var inputs = root.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("column").GetString()!);
        Assert.Equal("text", inputs["Ticket Text"].GetProperty("kind").GetString());
        Assert.True(inputs["Ticket Text"].GetProperty("preprocessing").GetProperty("lowercase").GetBoolean());
        Assert.Equal([1, 1], inputs["Ticket Text"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var words = inputs["Ticket Text"].GetProperty("statistics").GetProperty("text");
        // Whitespace tokens with punctuation kept, as ML.NET's word n-grams see them: 22 words and "see", "above", plus
        // each word that came last before the comma ("crash,").
        Assert.Equal(44, words.GetProperty("vocabulary").GetInt64());
        Assert.Equal("date", inputs["Opened"].GetProperty("kind").GetString());
        Assert.Equal(["year", "month", "day", "dayOfWeek", "dayOfYear"], inputs["Opened"].GetProperty("dateParts").EnumerateArray().Select(p => p.GetString()));
        // One row per call for a model with a text input (see OnnxScoring.ScoresOneRowAtATime), five parts wide.
        Assert.Equal([1, 5], inputs["Opened"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("median", inputs["Load (%)"].GetProperty("preprocessing").GetProperty("missingPolicy").GetString());

        var filtered = root.GetProperty("data").GetProperty("train").GetProperty("filtered");
        Assert.Equal(600, filtered.GetProperty("rowsRead").GetInt64());
        Assert.True(filtered.GetProperty("missingLabel").GetInt64() > 0);
        Assert.True(filtered.GetProperty("outOfRange").GetProperty("Load (%)").GetInt64() > 0);
        Assert.Equal(600 - filtered.GetProperty("dropped").GetInt64(), root.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64());

        var importance = root.GetProperty("featureImportance").EnumerateArray().ToDictionary(i => i.GetProperty("column").GetString()!, i => i.GetProperty("drop").GetDouble());
        Assert.True(importance["Ticket Text"] > 0.1, $"text importance {importance["Ticket Text"]}");
        Assert.True(importance["Opened"] > 0.05, $"date importance {importance["Opened"]}");
    }

    [Fact]
    public void The_drift_check_compares_text_by_its_length_in_words_and_skips_dates()
    {
        _folder.Write("train.csv", Tickets(400, 1));
        _folder.Write("test.csv", Tickets(100, 2));
        _folder.Write("longer.csv", Tickets(300, 3, extraWords: 12));
        var path = _folder.Write("Tickets.mlmodel.json", """
            {
              "name": "Tickets", "task": "multiclass", "label": "priority",
              "data": { "train": "train.csv", "test": "test.csv" },
              "rows": { "missingLabel": "drop" },
              "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 8 } },
              "drift": { "current": "longer.csv" }
            }
            """);
        var output = _folder.PathOf("out");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fp")), string.Join("\n", diagnostics.Items));

        Assert.True(new DriftCommand(diagnostics).Run(new DriftRequest(path, output, "drift-fp")), string.Join("\n", diagnostics.Items));

        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "drift.json")));
        var features = report.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!);
        Assert.Equal(["Load (%)", "Ticket Text"], features.Keys.Order());
        Assert.Equal("ks", features["Ticket Text"].GetProperty("method").GetString());
        Assert.True(features["Ticket Text"].GetProperty("drifted").GetBoolean());
        Assert.False(features["Load (%)"].GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public void Text_drifts_on_its_length_in_words()
    {
        var text = new MLOps.Build.Trainer.Data.CategoryColumn([0, 1, -1, 0], ["one two three", "a b"]);

        Assert.Equal([3f, 2f, float.NaN, 3f], DriftColumns.WordCounts(text));
    }
}

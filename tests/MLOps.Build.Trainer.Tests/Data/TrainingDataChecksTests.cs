using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

/// <summary>Data that cannot teach anything is a coded diagnostic at the column before training, not a silent model or an ML.NET internal error.</summary>
public sealed class TrainingDataChecksTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (bool Ok, DiagnosticBag Diagnostics, string Output) Train(string csv, string manifest)
    {
        _folder.Write("train.csv", csv);
        var path = _folder.Write("M.mlmodel.json", manifest);
        var output = _folder.PathOf("out");
        var diagnostics = new DiagnosticBag();
        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fp"));
        return (ok, diagnostics, output);
    }

    /// <summary>A LightGbm multiclass manifest on train.csv with label y; <paramref name="extra"/> is more of its members.</summary>
    private static string Multiclass(string name, string? extra = null) =>
        $$"""{ "name": "{{name}}", "task": "multiclass", "label": "y", "data": { "train": "train.csv" }, {{(extra is null ? "" : extra + ", ")}}"trainer": "LightGbm" }""";

    /// <summary>The 1-based column where <paramref name="text"/> starts in a one-line manifest.</summary>
    private static int At(string manifest, string text) => manifest.IndexOf(text, StringComparison.Ordinal) + 1;

    private static string Rows(int count, Func<int, string> row) =>
        string.Concat(Enumerable.Range(0, count).Select(i => row(i) + "\n"));

    [Fact]
    public void A_constant_regression_label_is_MLOPS1048_at_the_label()
    {
        var (ok, diagnostics, output) = Train("x,y\n" + Rows(60, i => $"{i},3.5"), """
            {
              "name": "Constant",
              "task": "regression",
              "label": "y",
              "data": { "train": "train.csv" },
              "trainer": "FastTree"
            }
            """);

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS1048", 4, 12), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("'y' is 3.5 in every one of the 60 training rows", d.Message);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")));
    }

    [Fact]
    public void An_all_empty_text_column_is_MLOPS1047_at_its_declaration()
    {
        var (ok, diagnostics, _) = Train("body,x,label\n" + Rows(60, i => $",{i % 7},{(i % 2 == 0 ? "a" : "b")}"), """
            {
              "name": "Tickets",
              "task": "multiclass",
              "label": "label",
              "data": { "train": "train.csv" },
              "columns": { "body": "text" },
              "trainer": "SdcaMaximumEntropy"
            }
            """);

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS1047", 6, 16), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("\"exclude\": [\"body\"]", d.Message);
    }

    [Fact]
    public void A_class_label_longer_than_a_generated_literal_is_MLOPS1049_at_the_label_before_training()
    {
        var huge = "rain \u201Cheavy\u201D\n" + new string('r', 5000);
        var (ok, diagnostics, output) = Train("x,y\n" + Rows(60, i => $"{i},{(i % 3 == 0 ? $"\"{huge}\"" : i % 3 == 1 ? "sun" : "fog")}"), Multiclass("Weather"));

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS1049", 1, At(Multiclass("Weather"), "\"y\"")), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("a class of 5,013 characters in 20 training row(s) of", d.Message);
        Assert.Contains($"('{huge[..80]}… (cut: 5,013 characters)')", d.Message);
        Assert.Contains("at most 4,096 characters", d.Message);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")));
    }

    [Fact]
    public void A_column_name_longer_than_a_generated_literal_is_MLOPS1049_before_training()
    {
        var name = "wind \u202E" + new string('w', 4100);
        var (ok, diagnostics, output) = Train($"\"{name}\",y\n" + Rows(60, i => $"{i},{(i % 2 == 0 ? "sun" : "fog")}"), Multiclass("Weather"));

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS1049", 1, At(Multiclass("Weather"), "\"train.csv\"")), (d.Id, d.Location.Line, d.Location.Column));
        Assert.StartsWith($"Column '{name[..80]}… (cut: 4,106 characters)' of ", d.Message);
        Assert.Contains("has a name of 4,106 characters; generated code carries each column name and class exactly, and at most 4,096 characters.", d.Message);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")));
    }

    [Fact]
    public void A_class_label_of_exactly_a_generated_literal_trains()
    {
        var longest = new string('r', 4096);
        var (ok, diagnostics, _) = Train("x,y\n" + Rows(60, i => $"{i},{(i % 2 == 0 ? longest : "sun")}"), Multiclass("Weather"));

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.DoesNotContain(diagnostics.Items, d => d.Id == "MLOPS1049");
    }

    [Fact]
    public void An_identifier_column_inferred_as_a_category_is_MLOPS1052_before_training()
    {
        var (ok, diagnostics, output) = Train("order,x,y\n" + Rows(6000, i => $"order-{i:x8},{i % 7},{(i % 2 == 0 ? "a" : "b")}"), Multiclass("Orders"));

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS1052", 1, At(Multiclass("Orders"), "\"train.csv\"")), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("Column 'order' of ", d.Message);
        Assert.Contains("has 6,000 distinct values in 6,000 training rows, nearly one per row: it looks like an identifier", d.Message);
        Assert.Contains("Leave it out (\"exclude\": [\"order\"]), or declare it \"category\" in \"columns\"", d.Message);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")));
    }

    [Fact]
    public void A_wide_category_that_is_not_an_identifier_is_MLOPS1052_and_one_declared_a_category_is_trusted()
    {
        const string csv = "city,x,y\n";
        var rows = Rows(12000, i => $"city-{i % 5001},{i % 7},{(i % 2 == 0 ? "a" : "b")}");
        var (ok, diagnostics, _) = Train(csv + rows, Multiclass("Cities"));

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal("MLOPS1052", d.Id);
        Assert.Contains("has 5,001 distinct values in 12,000 training rows; one-hot encoding more than 5,000 values", d.Message);
        Assert.Contains("group its rare values in the data, or declare it \"text\"", d.Message);

        // Declared, the column is the manifest's choice; an empty column stops the run before training.
        (ok, diagnostics, _) = Train("city,x,y,empty\n" + rows.Replace("\n", ",\n"), Multiclass("Cities", "\"columns\": { \"city\": \"category\", \"empty\": \"float\" }"));
        Assert.False(ok);
        Assert.Equal(["MLOPS1047"], diagnostics.Items.Where(d => d.Severity == DiagnosticLevel.Error).Select(d => d.Id));
    }
}

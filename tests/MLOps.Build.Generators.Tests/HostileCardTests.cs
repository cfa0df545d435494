extern alias Core;

using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GeneratedText = MLOps.Build.Generators.Common.GeneratedText;
using PropertyNames = Core::MLOps.Build.Text.PropertyNames;
using MLOps.Shared;

namespace MLOps.Build.Generators.Tests;

/// <summary>
/// Training data is untrusted input. Whatever text a model card carries from the data (columns, categories, classes,
/// replacements), from the manifest (label, trainer, options) or from an imported graph (ONNX names, reasons), the
/// generated class compiles without a warning, holds exactly the members the model needs, and its literals mean
/// exactly the card's values.
/// </summary>
public sealed class HostileCardTests
{
    /// <summary>Pieces an attacker would try, and plain text between them.</summary>
    private static readonly string[] Fragments =
    [
        "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "*/", "/*", "//", "///", "<", ">", "&", "&amp;", "\"", "\\", "'",
        "{", "}", "{{", "#if X", "\t", "\0", "\u001b", "\u202E", "\u200B", "\uFEFF", "\uD800", "\uDC00", "\uFFFE", "\U0001F600",
        "\u0301", "İ", "ß", "日本語", "</summary>", "<see cref=\"X\"/>", "\"; } public static int Injected => 42; //",
        "\n public static int Injected { get { return 42; } } //", "\\u0022", "@\"", "\"\"\"",
    ];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char, 0, 12],
        Gen.String[Gen.Char['a', 'z'], 1, 8],
        Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]))
        .Array[1, 5].Select(parts => string.Concat(parts));

    /// <summary>Mostly short text, now and then more than docs or literals carry.</summary>
    private static readonly Gen<string> Value = Gen.Frequency(
        (20, Text),
        (1, Gen.Int[TextLimits.LiteralLength - 2, TextLimits.LiteralLength + 3].SelectMany(n => Text.Select(t => Repeat(t, n)))));

    private static readonly Gen<HostileCard> Cards =
        from classes in Text.Array[3].Where(c => Stored(c).Distinct(StringComparer.Ordinal).Count() == 3)
        from columns in Value.Array[6]
        from onnxNames in Text.Array[6].Where(c => Stored(c).Distinct(StringComparer.Ordinal).Count() == 6)
        from categories in Value.Array[1, 6]
        from replacement in Gen.Frequency((3, Gen.Const((string?)null)), (1, Value.Select(v => (string?)v)))
        from label in Value
        from version in Text
        from trainer in Text
        from metric in Text
        from reason in Gen.Frequency((1, Gen.Const((string?)null)), (1, Value.Select(v => (string?)v)))
        select new HostileCard(Stored(classes), Stored(columns), Stored(onnxNames), Stored(categories).Distinct(StringComparer.Ordinal).ToArray(),
            replacement is null ? null : Stored(replacement), label, version, trainer, metric, reason);

    /// <summary>What a card written by System.Text.Json holds of a text (a lone surrogate becomes U+FFFD, as when the trainer writes it).</summary>
    private static string Stored(string text) => System.Text.Json.JsonSerializer.Deserialize<string>(System.Text.Json.JsonSerializer.Serialize(text))!;

    private static string[] Stored(string[] texts) => texts.Select(Stored).ToArray();

    [Fact]
    public void Any_card_text_gives_code_that_compiles_and_means_the_card()
    {
        Cards.Sample(card => { Check(card); }, iter: 300, threads: 1, print: c => c.ToString());
    }

    [Theory]
    [InlineData("b\n public static int Injected { get { return 42; } } //")]
    [InlineData("b\u2028public static int Injected => 42;")]
    [InlineData("b\u0085public static int Injected => 42;")]
    [InlineData("*/ public static int Injected => 42; /*")]
    [InlineData("</summary><summary>x")]
    public void A_category_that_tries_to_add_a_member_adds_none(string category)
    {
        Check(new HostileCard(["a", "b", "c"], ["region", "plan", "age", "spend", "visits", "rating"], ["r", "p", "a", "s", "v", "t"],
            [category, "other"], category, "tier", "1.0.0", "LightGbm", "MicroAccuracy", null));
    }

    [Fact]
    public void Columns_named_Output_and_Input_become_properties_Output_and_Input2()
    {
        var card = new HostileCard(["a", "b", "c"], ["Output", "Input", "age", "spend", "visits", "rating"], ["o", "i", "a", "s", "v", "t"],
            ["north"], null, "tier", "1.0.0", "LightGbm", "MicroAccuracy", null);

        Assert.Equal(["Output", "Input2", "Age", "Spend", "Visits", "Rating"], card.Properties);
        Check(card);
    }

    [Fact]
    public void A_10_MB_category_is_left_out_of_the_literals_and_cut_in_the_docs()
    {
        var huge = new string('x', 10_000_000);
        var (text, _) = Check(new HostileCard(["a", "b", "c"], ["region", "plan", "age", "spend", "visits", "rating"], ["r", "p", "a", "s", "v", "t"],
            [huge, "other"], null, "tier", "1.0.0", "LightGbm", "MicroAccuracy", null));

        Assert.True(text.Length < 200_000, $"generated {text.Length:N0} characters");
        Assert.Contains("… (cut: 10,000,000 characters)", text);
    }

    [Fact]
    public void A_class_longer_than_a_literal_carries_is_MLOPS5002_not_a_compiler_error()
    {
        var card = new HostileCard([new string('x', TextLimits.LiteralLength + 1), "b", "c"], ["region", "plan", "age", "spend", "visits", "rating"],
            ["r", "p", "a", "s", "v", "t"], ["north"], null, "tier", "1.0.0", "LightGbm", "MicroAccuracy", null);
        var driver = GeneratorHarness.Driver([card.File()]);

        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(""), out var output, out var diagnostics);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("MLOPS5002", diagnostic.Id);
        Assert.Contains("4,097 characters", diagnostic.GetMessage());
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static (string Text, Type Model) Check(HostileCard card)
    {
        var driver = GeneratorHarness.Driver([card.File(), card.Monitoring()]);
        // Doc comments parsed and checked as with GenerateDocumentationFile: broken XML would warn.
        var parse = new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText("", parse));
        driver = driver.WithUpdatedParseOptions(parse);

        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        if (card.ExactValueTooLong)
        {
            Assert.Equal("MLOPS5002", Assert.Single(generatorDiagnostics).Id);
            return ("", typeof(object));
        }
        Assert.Empty(generatorDiagnostics);
        var text = Assert.Single(driver.GetRunResult().GeneratedTrees).GetText().ToString();
        // Every warning counts: a broken doc comment (CS1570) is a sign that text left its place.
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591").ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Select(p => Shorten(p.ToString()))));

        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var context = new AssemblyLoadContext("hostile card", isCollectible: true);
        try
        {
            stream.Position = 0;
            var model = context.LoadFromStream(stream).GetType("Contoso.Models.HostileModel", throwOnError: true)!;
            AssertMeansTheCard(card, model);
            return (text, model);
        }
        finally
        {
            context.Unload();
        }
    }

    private static void AssertMeansTheCard(HostileCard card, Type model)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        // By name, so that a member injected by a card's text shows.
        Assert.Equal(ExpectedMembers.Order(StringComparer.Ordinal), model.GetMembers(all).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal));
        var input = model.GetNestedType("Input")!;
        Assert.Equal(card.Properties.Order(StringComparer.Ordinal), input.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["PredictedLabel", "Scores"], model.GetNestedType("Output")!.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(card.Classes, (IReadOnlyList<string>)model.GetProperty("Classes")!.GetValue(null)!);

        var schema = (MLOps.Runtime.ModelSchema)model.GetField("Schema", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal("HostileModel", schema.ModelName);
        Assert.Equal(card.OnnxNames, schema.Inputs.Select(i => i.Name));
        var kept = card.Categories.Where(c => c.Length <= TextLimits.LiteralLength).ToArray();
        Assert.Equal(kept, schema.Inputs[0].DriftReference?.Categories ?? []);

        // monitoring.json: a feature's warning under its graph input's name, the gate on the (hostile) metric exactly.
        Assert.Equal(0.3, schema.Thresholds.DriftWarning);
        Assert.Equal(new Dictionary<string, double> { [card.OnnxNames[Array.IndexOf(card.Columns, card.Columns[1])]] = 0.25 }, schema.Thresholds.FeatureDriftWarnings);
        var metric = Stored(card.Metric);
        Assert.Equal(metric.Length <= 64 ? [new MLOps.Runtime.Monitoring.LiveGate(metric, 0.5, null)] : [], schema.Thresholds.Gates);
    }

    private static readonly string[] ExpectedMembers =
    [
        ".cctor", ".ctor", "<Classes>k__BackingField", "Capture", "Classes", "Dispose", "get_Capture", "DriftMonitor", "Engine", "Fill", "FillRows", "Input", "Load", "ModelName", "Outcomes",
        "global::MLOps.Runtime.IMLOpsModel<Contoso.Models.HostileModel>.get_Thresholds", "global::MLOps.Runtime.IMLOpsModel<Contoso.Models.HostileModel>.Thresholds",
        "Output", "Predict", "PredictBatch", "Provenance", "Read", "ReadRows", "RecordOutcome", "Schema", "_session", "get_Classes", "get_DriftMonitor", "get_Engine", "get_ModelName", "get_Outcomes", "get_Provenance",
    ];

    private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";

    private static string Repeat(string text, int length)
    {
        if (text.Length == 0)
        {
            text = "x";
        }
        var builder = new System.Text.StringBuilder(length + text.Length);
        while (builder.Length < length)
        {
            builder.Append(text);
        }
        return builder.ToString(0, length);
    }

    /// <summary>
    /// A multiclass card over one category (with the random categories and replacement) and five numbers, every text in
    /// it drawn at random. Property names come from the columns by the trainer's own rule.
    /// </summary>
    private sealed record HostileCard(
        string[] Classes, string[] Columns, string[] OnnxNames, string[] Categories, string? Replacement,
        string Label, string Version, string Trainer, string Metric, string? Reason)
    {
        public IReadOnlyList<string> Properties { get; } = PropertyNames.Assign(Columns, reserved: ["Input"]);

        public bool ExactValueTooLong =>
            Classes.Concat(OnnxNames).Append(Replacement ?? "").Any(v => v.Length > TextLimits.LiteralLength);

        public GeneratorHarness.ModelCardFile File() =>
            new("/cards/HostileModel/modelcard.json", Json(), "ModelCard", "HostileModel");

        /// <summary>monitoring.json with a PSI warning, one on the second column, and a gate on the (hostile) metric.</summary>
        public GeneratorHarness.ModelCardFile Monitoring() =>
            new("/cards/HostileModel/monitoring.json", new JsonObject
            {
                ["schemaVersion"] = 1,
                ["model"] = "HostileModel",
                ["psiWarning"] = 0.3,
                ["featurePsiWarnings"] = new JsonObject { [Columns[1]] = 0.25 },
                ["gates"] = new JsonArray(new JsonObject { ["metric"] = Metric, ["min"] = 0.5 }),
            }.ToJsonString(), "Monitoring", "HostileModel");

        private string Json()
        {
            var inputs = new JsonArray();
            for (var i = 0; i < Columns.Length; i++)
            {
                var category = i == 0;
                var input = new JsonObject
                {
                    ["column"] = Columns[i],
                    ["property"] = Properties[i],
                    ["kind"] = category ? "category" : "float",
                    ["csharpType"] = category ? "string" : "float",
                    ["onnxName"] = OnnxNames[i],
                    ["onnxType"] = category ? "string" : "float",
                    ["shape"] = new JsonArray(-1, 1),
                    ["statistics"] = category
                        ? new JsonObject
                        {
                            ["count"] = 10, ["missing"] = 1, ["missingRate"] = 0.1,
                            ["categories"] = new JsonArray(Categories.Select((c, n) => (JsonNode)new JsonObject { ["value"] = c, ["count"] = n + 1 }).ToArray()),
                        }
                        : new JsonObject
                        {
                            ["count"] = 10, ["missing"] = 0, ["missingRate"] = 0, ["min"] = 0, ["max"] = 1, ["mean"] = 0.5,
                            ["histogram"] = new JsonObject { ["edges"] = new JsonArray(0, 0.5, 1), ["counts"] = new JsonArray(5, 5) },
                        },
                };
                if (category && Replacement is not null)
                {
                    input["preprocessing"] = new JsonObject { ["lowercase"] = false, ["missingPolicy"] = "constant", ["replacement"] = Replacement };
                }
                inputs.Add(input);
            }
            var card = new JsonObject
            {
                ["schemaVersion"] = 1,
                ["name"] = "HostileModel",
                ["version"] = Version,
                ["task"] = "multiclass",
                ["label"] = Label,
                ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["inputs"] = inputs,
                ["outputs"] = new JsonArray(
                    new JsonObject { ["name"] = "PredictedLabel", ["property"] = "PredictedLabel", ["onnxName"] = "PredictedLabel.output", ["onnxType"] = "string", ["shape"] = new JsonArray(-1, 1) },
                    new JsonObject { ["name"] = "Score", ["property"] = "Scores", ["onnxName"] = "Score.output", ["onnxType"] = "float", ["shape"] = new JsonArray(-1, 3) }),
                ["trainer"] = new JsonObject { ["name"] = Trainer, ["options"] = new JsonObject(), ["seed"] = 1 },
                ["metrics"] = new JsonObject { ["MicroAccuracy"] = 0.75 },
                ["fingerprint"] = new string('1', 64),
                ["scoring"] = Reason is null
                    ? new JsonObject { ["engine"] = "compiled", ["maxAbsoluteDifference"] = 0, ["rows"] = 1 }
                    : new JsonObject { ["engine"] = "onnxruntime", ["reason"] = Reason },
            };
            card["metrics"]![Metric] = 0.5;
            return card.ToJsonString();
        }

        public override string ToString() =>
            "classes " + string.Join(" | ", Classes.Select(Show)) + "; columns " + string.Join(" | ", Columns.Select(Show)) +
            "; categories " + string.Join(" | ", Categories.Select(Show)) + "; replacement " + Show(Replacement ?? "") + "; label " + Show(Label);

        private static string Show(string text) => GeneratedText.StringLiteral(text.Length > 40 ? text.Substring(0, 40) : text) + (text.Length > 40 ? $"… ({text.Length} characters)" : "");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms.Text;

namespace MLOps.Build.Trainer.Tests.Export;

/// <summary>
/// Each workaround the trainer keeps for a defect of ML.NET's ONNX export or of ONNX Runtime, reproduced with ML.NET
/// and ONNX Runtime called directly (the pinned versions, Directory.Packages.props). These tests assert the defect is
/// still there: when an upgrade fixes one, its test fails and says which workaround can go.
/// </summary>
public sealed class UpstreamWorkaroundTests
{
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private static readonly string[] Words =
        ["market", "shares", "rose", "fell", "bank", "rates", "oil", "prices", "trade", "deficit", "company", "profit", "loss", "quarter", "year", "dollar"];

    private static TextRow[] Texts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new TextRow { Text = string.Join(' ', Enumerable.Range(0, random.Next(3, 15)).Select(_ => Words[random.Next(Words.Length)])) })
            .ToArray();
    }

    private static (ITransformer Model, IDataView Data, MLContext Ml) FitText(NgramExtractingEstimator.WeightingCriteria weighting, TextRow[] rows, int charNgrams = 0, int wordNgrams = 2)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            WordFeatureExtractor = wordNgrams == 0 ? null : new WordBagEstimator.Options { NgramLength = wordNgrams, UseAllLengths = true, Weighting = weighting },
            CharFeatureExtractor = charNgrams == 0 ? null : new WordBagEstimator.Options { NgramLength = charNgrams, UseAllLengths = false, Weighting = weighting },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        return (ml.Transforms.Text.FeaturizeText("Features", options, nameof(TextRow.Text)).Fit(data), data, ml);
    }

    private static byte[] Onnx(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    private static float[] ScoreWithOnnxRuntime(InferenceSession session, string text)
    {
        var input = new DenseTensor<string>(new[] { text }, [1, 1]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(nameof(TextRow.Text), input)]);
        return results.First(r => r.Name.StartsWith("Features", StringComparison.Ordinal)).AsTensor<float>().ToArray();
    }

    private static float[][] ScoreWithMLNet(MLContext ml, ITransformer model, TextRow[] rows) =>
        ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false)
            .Select(r => r.Features).ToArray();

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>Why the manifest refuses <c>"weighting": "idf"</c> and <c>"tfidf"</c> (MLOPS1014 in ManifestParser.Columns).</summary>
    [Theory]
    [InlineData(NgramExtractingEstimator.WeightingCriteria.Idf)]
    [InlineData(NgramExtractingEstimator.WeightingCriteria.TfIdf)]
    public void Idf_weights_exported_to_ONNX_still_differ_from_ML_NET(NgramExtractingEstimator.WeightingCriteria weighting)
    {
        var rows = Texts(200, seed: 3);
        var (model, data, ml) = FitText(weighting, rows);
        using var session = new InferenceSession(Onnx(ml, model, data));

        var expected = ScoreWithMLNet(ml, model, rows[..20]);
        var largest = rows[..20].Select((row, i) => ScoreWithOnnxRuntime(session, row.Text).Zip(expected[i], (a, b) => Math.Abs(a - b)).Max()).Max();

        Assert.True(largest > 1e-3, $"IDF export now agrees (largest difference {largest}): allow \"idf\" and \"tfidf\" in the manifest again.");
    }

    [Fact]
    public void Tf_weights_agree_which_is_why_they_ship()
    {
        var rows = Texts(200, seed: 3);
        var (model, data, ml) = FitText(NgramExtractingEstimator.WeightingCriteria.Tf, rows);
        using var session = new InferenceSession(Onnx(ml, model, data));

        var expected = ScoreWithMLNet(ml, model, rows[..20]);
        var largest = rows[..20].Select((row, i) => ScoreWithOnnxRuntime(session, row.Text).Zip(expected[i], (a, b) => Math.Abs(a - b)).Max()).Max();

        Assert.True(largest < 1e-5, $"largest difference {largest}");
    }

    /// <summary>
    /// OnnxExporter.ExportUnfused clears the text subgraph's value_info: ML.NET wrote the one schema row's token counts
    /// there, and ONNX Runtime 1.2x refused other texts ("Shape mismatch attempting to re-use buffer"). Neither this
    /// small graph nor the trainer's text tests reproduce that refusal with ML.NET 5.0.1 / ORT 1.31.1 or 6.0.0 / 1.32.0,
    /// so the clearing stays (it only lets ONNX Runtime infer shapes itself) and this test holds what it must keep:
    /// the cleared graph scores texts of any length as ML.NET does.
    /// </summary>
    [Fact]
    public void Text_graphs_without_shape_hints_score_any_token_count_as_ML_NET_does()
    {
        var rows = Texts(200, seed: 5);
        var (model, _, ml) = FitText(NgramExtractingEstimator.WeightingCriteria.Tf, rows, charNgrams: 3);
        var oneRow = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "market rose" } });
        var cleared = MLOps.Build.Trainer.Export.Onnx.OnnxModels.RewriteGraph(Onnx(ml, model, oneRow), graph => { graph.ValueInfo.Clear(); return true; })!;
        using var session = new InferenceSession(cleared);

        var texts = new[] { new TextRow { Text = "market rose" }, new TextRow { Text = "shares fell in the quarter as oil prices rose and the dollar fell" }, new TextRow { Text = "" }, rows[7] };
        var expected = ScoreWithMLNet(ml, model, texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var actual = ScoreWithOnnxRuntime(session, texts[i].Text);
            Assert.True(actual.Zip(expected[i], (a, b) => Math.Abs(a - b)).Max() < 1e-5, $"text {i}");
        }
    }

    /// <summary>
    /// Why the compiled text featurization takes a character's UTF-16 code unit as its id instead of the graph's
    /// character table (CharacterTokenizer), and why the build checks compiled text scoring against ML.NET: ML.NET
    /// counts code units, ONNX Runtime's Tokenizer splits UTF-8 characters (an emoji is one token, not ML.NET's two),
    /// and the table's surrogate keys, which UTF-8 cannot store, were written as U+FFFD, so U+FFFD itself maps to a
    /// surrogate's id. Every other character of the Basic Multilingual Plane agrees (checked once for all 63,487).
    /// </summary>
    [Theory]
    [InlineData("x\U0001F600y", true)]
    [InlineData("a\uFFFDb", true)]
    [InlineData("caf\u00E9 na\u00EFve \u65E5\u672C \u00A0 \u0130\u0131 \u05E9\u05DC\u05D5\u05DD", false)]
    public void ONNX_Runtime_still_counts_characters_other_than_ML_NET_outside_the_BMP_and_at_U_FFFD(string text, bool differs)
    {
        var rows = new[] { new TextRow { Text = text }, new TextRow { Text = "plain words" } };
        var (model, data, ml) = FitText(NgramExtractingEstimator.WeightingCriteria.Tf, rows, charNgrams: 3, wordNgrams: 0);
        using var session = new InferenceSession(Onnx(ml, model, data));

        var expected = ScoreWithMLNet(ml, model, rows[..1])[0];
        var largest = ScoreWithOnnxRuntime(session, text).Zip(expected, (a, b) => Math.Abs(a - b)).Max();

        Assert.True(differs == largest > 1e-5, differs
            ? "ONNX Runtime now counts these characters as ML.NET does: the build could check compiled text scoring against ONNX Runtime again (CompiledScoringCheck)."
            : $"ONNX Runtime differs from ML.NET on ordinary text (largest difference {largest}).");
    }

    private sealed class CategoryRow
    {
        public string Category { get; set; } = "";

        public bool Label { get; set; }
    }

    private sealed class CategoryOnlyRow
    {
        public string Category { get; set; } = "";
    }

    /// <summary>
    /// Why OptionBinder sets LightGbm's UseCategoricalSplit to false: with one-hot slots marked categorical (as the
    /// trainer's OneHotEncoding marks them), ML.NET may split on a category set and exports such a tree with a feature
    /// index ONNX Runtime cannot score.
    /// </summary>
    [Fact]
    public void LightGbm_categorical_splits_still_export_a_graph_ONNX_Runtime_cannot_score()
    {
        var random = new Random(9);
        var rows = Enumerable.Range(0, 3000).Select(_ =>
        {
            var category = random.Next(60);
            return new CategoryRow { Category = "c" + category, Label = (category % 3 == 0) ^ (random.NextDouble() < 0.1) };
        }).ToArray();

        Assert.Null(ScoreLightGbmWithOnnxRuntime(rows, categoricalSplit: false));
        var failed = ScoreLightGbmWithOnnxRuntime(rows, categoricalSplit: true);
        Assert.True(failed is not null, "LightGbm's categorical splits now export and score: UseCategoricalSplit = false in OptionBinder can go.");
        Assert.Contains("Tree", failed.Message);
    }

    private static Exception? ScoreLightGbmWithOnnxRuntime(CategoryRow[] rows, bool categoricalSplit)
    {
        var ml = new MLContext(seed: 1);
        // One-hot then concatenated, as PipelineFactory builds features.
        var model = ml.Transforms.Categorical.OneHotEncoding("Encoded", nameof(CategoryRow.Category))
            .Append(ml.Transforms.Concatenate("Features", "Encoded"))
            .Append(ml.BinaryClassification.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer.Options
            {
                UseCategoricalSplit = categoricalSplit,
                NumberOfThreads = 1,
                Seed = 1,
                Deterministic = true,
                NumberOfIterations = 20,
                MinimumExampleCountPerLeaf = 5,
            }))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        return Record.Exception(() =>
        {
            // Exported over the feature only, as the trainer does (OnnxExporter.Export): the graph takes no label input.
            var schema = ml.Data.LoadFromEnumerable(rows.Take(1).Select(r => new CategoryOnlyRow { Category = r.Category }));
            using var session = new InferenceSession(Onnx(ml, model, schema));
            var scores = session.OutputMetadata.Keys.Where(name => name.StartsWith("Score", StringComparison.Ordinal)).ToArray();
            foreach (var row in rows.Take(50))
            {
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(nameof(CategoryRow.Category), new DenseTensor<string>(new[] { row.Category }, [1, 1]))], scores);
                Assert.Single(results);
            }
        });
    }
}

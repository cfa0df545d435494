using Microsoft.ML;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Training;
using MLOps.Build.Manifest;
using MLOps.Runtime.Compiled;

namespace MLOps.Build.Trainer.Tests.Text;

/// <summary>
/// The compiled text featurization against ML.NET itself (not ONNX Runtime): the trainer's own FeaturizeText options,
/// fitted on a corpus, exported to ONNX, compiled, and compared vector for vector on the build's synthetic texts and
/// on sentences that mix known and unknown words.
/// </summary>
public sealed class CompiledTextTests
{
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }

    private static readonly string[] Vocabulary =
        ["the", "market", "café", "naïve", "“quoted”", "don’t", "a\u00A0b", "日本語", "😀", "İstanbul", "ıi", "e\u0301", "שלום", "—", "€5", "x\r\ny", "tab\there", "Ω", "straße", "ﬁne", "\uFFFD", "👍🏽👍"];

    private static TextRow[] Sentences(int count, int seed, params string[] extra)
    {
        var random = new Random(seed);
        var words = Vocabulary.Concat(extra).ToArray();
        return Enumerable.Range(0, count)
            .Select(_ => new TextRow { Text = string.Join(random.Next(5) == 0 ? "  " : " ", Enumerable.Range(0, random.Next(1, 12)).Select(_ => words[random.Next(words.Length)])) })
            .ToArray();
    }

    public static TheoryData<int, int> Settings => new() { { 2, 3 }, { 1, 0 }, { 3, 1 }, { 1, 2 }, { 2, 5 } };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Compiled_text_features_equal_ML_NET_on_the_synthetic_texts_and_unseen_words(int wordNgrams, int charNgrams)
    {
        var train = Sentences(300, seed: 4);
        var (ml, model, onnx) = Fit(train, new TextFeaturizationSpec(wordNgrams, charNgrams, "tf", Lowercase: false));
        var compiled = CompiledModel.Compile(onnx);

        var texts = SyntheticTexts.All.Concat(Sentences(200, seed: 5, "unseen", "wörds", "🙂", "\uD83D").Select(t => t.Text)).Concat(train.Take(50).Select(t => t.Text)).ToArray();
        var expected = ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }))), reuseRowObject: false)
            .Select(r => r.Features).ToArray();
        var actual = (float[])compiled.Run(new Dictionary<string, Array> { [nameof(TextRow.Text)] = texts }, texts.Length)[compiled.Outputs.Single().Name];

        var width = expected[0].Length;
        Assert.Equal(texts.Length * width, actual.Length);
        for (var row = 0; row < texts.Length; row++)
        {
            for (var i = 0; i < width; i++)
            {
                var (e, a) = (expected[row][i], actual[(row * width) + i]);
                Assert.True(Math.Abs(e - a) <= 1e-6f, $"text {row} ({Escaped(texts[row])}), feature {i}: ML.NET {e}, compiled {a}");
            }
        }
    }

    private static (MLContext Ml, ITransformer Model, byte[] Onnx) Fit(TextRow[] rows, TextFeaturizationSpec spec)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Text.FeaturizeText("Features", PipelineFactory.TextOptions(spec), nameof(TextRow.Text)).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        // As the trainer keeps it (OnnxExporter.ExportUnfused): only the scored output, no shape hints from the one schema row.
        var pruned = OnnxGraphPruner.KeepOutputs(stream.ToArray(), ["Features.output"]);
        return (ml, model, MLOps.Build.Trainer.Export.Onnx.OnnxModels.RewriteGraph(pruned, graph => { graph.ValueInfo.Clear(); return true; })!);
    }

    internal static string Escaped(string text) =>
        string.Concat(text.Take(60).Select(c => c is >= ' ' and < (char)127 ? c.ToString() : $"\\u{(int)c:X4}"));
}

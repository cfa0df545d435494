using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Artifacts;
using MLOps.Runtime.Compiled;
using K = MLOps.Shared.ModelCardKeys.ScoringEngine;

namespace MLOps.Build.Trainer.Export.Compiled;

/// <summary>
/// The first compiled output that disagrees with ONNX Runtime, or, with <see cref="InBlocks"/>, the first output of
/// rows scored in blocks (a batch) that is not the same bits as the same row scored alone.
/// </summary>
public sealed record CompiledMismatch(int Row, string Output, int Index, string Expected, string Actual, double Difference)
{
    public bool InBlocks { get; init; }

    public string Describe()
    {
        var (expectedBy, actualBy) = InBlocks ? ("one row at a time", "a batch") : ("ONNX Runtime", "compiled");
        var what = $"row {Row}, output '{Output}'[{Index}]: {expectedBy} gives {Expected}, {actualBy} gives {Actual}";
        return Difference is double.PositiveInfinity or double.NaN ? what : $"{what} (difference {Difference.ToString("G3", CultureInfo.InvariantCulture)})";
    }
}

/// <summary>
/// Decides how a model is scored in the app: compiles the graph with MLOps.Runtime's compiled scorer and compares
/// every output with ONNX Runtime's on the given rows. Numbers must agree within the tolerance (relative above 1 in
/// magnitude; NaN with NaN, an infinity with the same infinity); labels, strings and integers exactly. Rows ONNX
/// Runtime itself refuses (a Binarizer fed NaN, which a synthetic ±∞ can produce in a linear model) are left out:
/// there is no answer to match. So are, in a graph with text inputs, rows whose text ONNX Runtime counts
/// differently from ML.NET (<see cref="OnnxRuntimeText"/>): the compiled scorer follows ML.NET there, and
/// <see cref="CompiledTextCheck"/> compares it with ML.NET itself.
/// </summary>
public static class CompiledScoringCheck
{
    /// <param name="oneRowAtATime">The graph has text inputs: ML.NET's exported text featurization scores one row per ONNX Runtime call.</param>
    public static (ScoringCard Card, CompiledMismatch? Mismatch) Run(byte[] onnx, OnnxFeeds feeds, double tolerance, bool oneRowAtATime = false)
    {
        if (!CompiledModel.TryCompile(onnx, out var compiled, out var reason))
        {
            return (new ScoringCard(K.OnnxRuntime, reason, null, null), null);
        }
        var names = compiled.Outputs.Select(o => o.Name).ToArray();
        var (expected, refused) = RunOnnxRuntime(onnx, feeds, names, oneRowAtATime);
        if (oneRowAtATime)
        {
            refused.UnionWith(RowsWithMiscountedText(feeds));
        }
        var actual = compiled.Run(feeds.Values, feeds.Rows);
        var max = 0.0;
        var compared = feeds.Rows - refused.Count;
        foreach (var output in compiled.Outputs)
        {
            var (e, a) = (expected[output.Name], actual[output.Name]);
            if (e.Length != a.Length)
            {
                return (new ScoringCard(K.OnnxRuntime, null, null, compared), new CompiledMismatch(0, output.Name, 0, $"{e.Length} values", $"{a.Length} values", double.PositiveInfinity));
            }
            var width = Math.Max(1, e.Length / Math.Max(1, feeds.Rows));
            for (var i = 0; i < e.Length; i++)
            {
                if (refused.Contains(i / width))
                {
                    continue;
                }
                var difference = Difference(e.GetValue(i), a.GetValue(i));
                if (difference > tolerance || double.IsNaN(difference))
                {
                    return (new ScoringCard(K.Compiled, null, max, compared),
                        new CompiledMismatch(i / width, output.Name, i % width, Format(e.GetValue(i)), Format(a.GetValue(i)), difference));
                }
                max = Math.Max(max, difference);
            }
        }
        var card = new ScoringCard(K.Compiled, null, max, compared);
        return (card, FirstBlockDifference(compiled, feeds, actual));
    }

    /// <summary>
    /// The generated class's <c>PredictBatch</c> scores rows in blocks, with kernels of their own (trees over many
    /// rows at once); every row must come out the same bits as scored alone, refused rows included.
    /// </summary>
    private static CompiledMismatch? FirstBlockDifference(CompiledModel compiled, OnnxFeeds feeds, IReadOnlyDictionary<string, Array> alone)
    {
        var blocks = compiled.Run(feeds.Values, feeds.Rows, inBlocks: true);
        foreach (var output in compiled.Outputs)
        {
            var (e, a) = (alone[output.Name], blocks[output.Name]);
            var width = Math.Max(1, e.Length / Math.Max(1, feeds.Rows));
            for (var i = 0; i < e.Length; i++)
            {
                var (x, y) = (e.GetValue(i), a.GetValue(i));
                var same = x is float f && y is float g ? BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(g) : Equals(x, y);
                if (!same)
                {
                    return new CompiledMismatch(i / width, output.Name, i % width, Format(x), Format(y), double.PositiveInfinity) { InBlocks = true };
                }
            }
        }
        return null;
    }

    private static double Difference(object? expected, object? actual)
    {
        if (expected is float e && actual is float a)
        {
            if (float.IsNaN(e) || float.IsNaN(a))
            {
                return float.IsNaN(e) && float.IsNaN(a) ? 0 : double.PositiveInfinity;
            }
            if (float.IsInfinity(e) || float.IsInfinity(a))
            {
                return e == a ? 0 : double.PositiveInfinity;
            }
            return Math.Abs((double)e - a) / Math.Max(1.0, Math.Abs((double)e));
        }
        return Equals(expected, actual) ? 0 : double.PositiveInfinity;
    }

    private static string Format(object? value) => value switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        string s => $"\"{s}\"",
        null => "null",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static IEnumerable<int> RowsWithMiscountedText(OnnxFeeds feeds) =>
        feeds.Values.Values.OfType<string[]>().SelectMany(texts =>
        {
            var width = Math.Max(1, texts.Length / Math.Max(1, feeds.Rows));
            return texts.Select((text, i) => (text, i)).Where(t => OnnxRuntimeText.Miscounts(t.text)).Select(t => t.i / width);
        });

    /// <summary>ONNX Runtime's outputs for every row, and the rows it refused (their outputs are left at default).</summary>
    private static (Dictionary<string, Array> Outputs, HashSet<int> Refused) RunOnnxRuntime(byte[] onnx, OnnxFeeds feeds, string[] outputs, bool oneRowAtATime)
    {
        // One thread: ONNX Runtime then sums a tree ensemble's trees in order for every batch, as the compiled
        // scorer and a deployed single-threaded session do.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        if (!oneRowAtATime)
        {
            try
            {
                return (Run(session, feeds, outputs), []);
            }
            catch (OnnxRuntimeException)
            {
                // Row by row, to find the rows it refuses.
            }
        }
        var refused = new HashSet<int>();
        Dictionary<string, Array>? all = null;
        for (var row = 0; row < feeds.Rows; row++)
        {
            Dictionary<string, Array> one;
            try
            {
                one = Run(session, feeds.Row(row), outputs);
            }
            catch (OnnxRuntimeException)
            {
                refused.Add(row);
                continue;
            }
            all ??= one.ToDictionary(o => o.Key, o => Array.CreateInstance(o.Value.GetType().GetElementType()!, o.Value.Length * feeds.Rows));
            foreach (var (name, values) in one)
            {
                Array.Copy(values, 0, all[name], row * values.Length, values.Length);
            }
        }
        return (all ?? outputs.ToDictionary(o => o, _ => (Array)Array.Empty<float>()), refused);
    }

    private static Dictionary<string, Array> Run(InferenceSession session, OnnxFeeds feeds, string[] outputs)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, values) in feeds.Values)
        {
            var shape = new[] { feeds.Rows }.Concat(feeds.RowShapes[name]).ToArray();
            inputs.Add(values switch
            {
                float[] f => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(f, shape)),
                long[] l => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(l, shape)),
                int[] n => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(n, shape)),
                bool[] b => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(b, shape)),
                _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>((string[])values, shape)),
            });
        }
        using var results = session.Run(inputs, outputs);
        return results.ToDictionary(r => r.Name, r => r.ElementType switch
        {
            TensorElementType.String => (Array)r.AsTensor<string>().ToArray(),
            TensorElementType.Bool => r.AsTensor<bool>().ToArray(),
            TensorElementType.Int64 => r.AsTensor<long>().ToArray(),
            TensorElementType.Int32 => r.AsTensor<int>().ToArray(),
            _ => r.AsTensor<float>().ToArray(),
        });
    }
}

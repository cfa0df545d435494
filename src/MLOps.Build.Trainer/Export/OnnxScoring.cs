using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Export;

/// <summary>Scores a whole table through ONNX Runtime, the way a deployed app will, in batches of <see cref="BatchRows"/>.</summary>
public sealed class OnnxScoring : IDisposable
{
    /// <summary>
    /// Rows per call. Every intermediate tensor of the graph holds a batch's rows × its width, and a category's one-hot
    /// width is its number of values: 20,000 parity rows of a 3,000-value category peaked at 1 GB in one call.
    /// </summary>
    public const int BatchRows = 1024;

    private readonly InferenceSession _session;

    public OnnxScoring(byte[] model)
    {
        // ML.NET's one-hot outputs make ONNX Runtime log shape-merge warnings; they are harmless.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(model, options);
    }

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    /// <summary>
    /// Whether the graph scores one row per call: ML.NET's exported text featurization flattens its tokens across the
    /// batch, so a graph with a text input gives wrong shapes for more than one row.
    /// </summary>
    public static bool ScoresOneRowAtATime(TrainingTable table) => table.Features.Any(f => f.Kind == ColumnKind.Text);

    public Dictionary<string, Array> Run(TrainingTable table, IEnumerable<string> outputNames)
    {
        var batch = ScoresOneRowAtATime(table) ? 1 : BatchRows;
        if (table.RowCount <= batch)
        {
            return RunBatch(table, outputNames);
        }
        var names = outputNames.ToArray();
        var parts = Enumerable.Range(0, (table.RowCount + batch - 1) / batch)
            .Select(b => RunBatch(table.Select(Enumerable.Range(b * batch, Math.Min(batch, table.RowCount - b * batch)).ToArray()), names))
            .ToArray();
        return parts[0].Keys.ToDictionary(name => name, name => Concatenate(parts.Select(p => p[name]).ToArray()));
    }

    private static Array Concatenate(Array[] parts)
    {
        var result = Array.CreateInstance(parts[0].GetType().GetElementType()!, parts.Sum(p => p.Length));
        var offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part, 0, result, offset, part.Length);
            offset += part.Length;
        }
        return result;
    }

    private Dictionary<string, Array> RunBatch(TrainingTable table, IEnumerable<string> outputNames)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var feature in table.Features)
        {
            inputs.Add(Input(feature, table.RowCount));
        }
        var wanted = outputNames.Where(_session.OutputMetadata.ContainsKey).ToArray();
        using var results = _session.Run(inputs, wanted);
        var output = new Dictionary<string, Array>();
        foreach (var result in results)
        {
            output[result.Name] = result.ElementType switch
            {
                TensorElementType.String => result.AsTensor<string>().ToArray(),
                TensorElementType.Bool => result.AsTensor<bool>().ToArray(),
                _ => result.AsTensor<float>().ToArray(),
            };
        }
        return output;
    }

    /// <summary>A feature as the generated class feeds it: preprocessed, a date as its parts.</summary>
    private static NamedOnnxValue Input(FeatureColumn feature, int rows)
    {
        var (values, shape) = Feed(feature, rows);
        return values is string[] strings
            ? NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<string>(strings, shape))
            : NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<float>((float[])values, shape));
    }

    /// <summary>A feature's values as the generated class feeds them (float[] or string[], row after row) and their shape.</summary>
    public static (Array Values, int[] Shape) Feed(FeatureColumn feature, int rows)
    {
        var shape = new[] { rows, 1 };
        var preprocessing = feature.Preprocessing;
        if (feature.IsNumeric)
        {
            return (preprocessing.NumberReplacement is null ? feature.Numbers! : feature.Numbers!.Select(preprocessing.Number).ToArray(), shape);
        }
        if (feature.Kind.IsDate())
        {
            var parts = feature.DatePartsByCode();
            var width = DateParts.Count(feature.Kind == ColumnKind.DateTime);
            var values = new float[rows * width];
            for (var row = 0; row < rows; row++)
            {
                var code = feature.Categories!.Codes[row];
                for (var i = 0; i < width; i++)
                {
                    values[row * width + i] = code < 0 ? float.NaN : parts[code][i];
                }
            }
            return (values, [rows, width]);
        }
        return (feature.Categories!.Select(c => preprocessing.Text(c) ?? "").ToArray(), shape);
    }

    public void Dispose() => _session.Dispose();
}

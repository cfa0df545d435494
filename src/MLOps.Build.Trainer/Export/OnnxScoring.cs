using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Export;

/// <summary>Scores a whole table through ONNX Runtime in one batch, the way a deployed app will.</summary>
public sealed class OnnxScoring : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxScoring(byte[] model)
    {
        // ML.NET's one-hot outputs make ONNX Runtime log shape-merge warnings; they are harmless.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(model, options);
    }

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    public Dictionary<string, Array> Run(TrainingTable table, IEnumerable<string> outputNames)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var feature in table.Features)
        {
            var shape = new[] { table.RowCount, 1 };
            inputs.Add(feature.IsNumeric
                ? NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<float>(feature.Numbers!, shape))
                : NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<string>(feature.Categories!.Select(c => c ?? "").ToArray(), shape)));
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

    public void Dispose() => _session.Dispose();
}

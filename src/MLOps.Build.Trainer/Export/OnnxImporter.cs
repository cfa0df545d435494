using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Brings an externally trained ONNX model into the build: its inputs and outputs, read through ONNX Runtime,
/// become the model card (and so the generated classes). The first dimension is the row axis; the rest of each
/// tensor is flattened into an array property, whose length decides one dynamic dimension (a typed
/// <c>MLOps.Runtime.Tensor&lt;T&gt;</c> carries several).
/// </summary>
public sealed class OnnxImporter(DiagnosticBag diagnostics)
{
    public ModelCard? Import(ModelManifest manifest, byte[] onnx, string fingerprint)
    {
        var location = manifest.Onnx!.PathLocation;
        InferenceSession session;
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            session = new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException ex)
        {
            diagnostics.Add(D.InvalidOnnxModel, location, $"ONNX Runtime cannot load '{manifest.Onnx.RelativePath}': {ex.Message.Split('\n')[0]}");
            return null;
        }
        using (session)
        {
            // Generated code carries every input and output name, and every named dimension, exactly (MLOPS1049).
            foreach (var name in session.InputMetadata.Concat(session.OutputMetadata)
                         .SelectMany(m => new[] { m.Key }.Concat(m.Value.SymbolicDimensions ?? []))
                         .Where(n => n.Length > TextLimits.LiteralLength))
            {
                diagnostics.Add(D.TooLongForGeneratedCode, location,
                    $"'{manifest.Onnx.RelativePath}' names an input, output or dimension with {name.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters ('{TextLimits.Quoted(name)}'); generated code carries each name exactly, and at most {TextLimits.LiteralLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters.");
            }
            if (diagnostics.HasErrors)
            {
                return null;
            }
            var inputNames = session.InputMetadata.Keys.ToArray();
            var inputProperties = PropertyNames.Assign(inputNames, reserved: [CSharpIdentifiers.ReservedInputProperty]);
            var inputs = new List<InputCard>();
            for (var i = 0; i < inputNames.Length; i++)
            {
                var metadata = session.InputMetadata[inputNames[i]];
                var type = TypeName(inputNames[i], metadata, location);
                var shape = Shape(metadata);
                if (type is null)
                {
                    continue;
                }
                inputs.Add(new InputCard(inputNames[i], inputProperties[i], "tensor", type, inputNames[i], type, shape, null) { ShapeNames = ShapeNames(metadata) });
            }
            var outputNames = session.OutputMetadata.Keys.ToArray();
            var outputProperties = PropertyNames.Assign(outputNames, reserved: [CSharpIdentifiers.ReservedOutputProperty]);
            var outputs = new List<OutputCard>();
            for (var i = 0; i < outputNames.Length; i++)
            {
                var metadata = session.OutputMetadata[outputNames[i]];
                var type = TypeName(outputNames[i], metadata, location);
                if (type is not null)
                {
                    outputs.Add(new OutputCard(outputNames[i], outputProperties[i], outputNames[i], type, Shape(metadata)) { ShapeNames = ShapeNames(metadata) });
                }
            }
            if (diagnostics.HasErrors)
            {
                return null;
            }
            var info = OnnxGraphInfo.Read(onnx);
            return new ModelCard(ModelCard.CurrentSchemaVersion, manifest.Name, manifest.Version,
                manifest.HasTask ? manifest.Task.ToName() : ModelCard.ImportedTask, manifest.Label, manifest.PositiveClass, [],
                inputs, outputs,
                new OnnxCard(ArtifactNames.Onnx, FileHash.Sha256(onnx), info.DefaultOpset, info.IrVersion, info.Producer, ModelResources.Name(manifest.Name)),
                null, null, new SortedDictionary<string, double>(), null, null, null, null, fingerprint,
                new ToolCard(ToolVersion.Current, ToolVersion.Of(typeof(Microsoft.ML.MLContext)), ToolVersion.Of(typeof(InferenceSession))));
        }
    }

    private static long[] Shape(NodeMetadata metadata) => metadata.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();

    /// <summary>The symbolic dimension names ("batch", "sequence"), empty for unnamed ones; null when none has a name.</summary>
    private static string[]? ShapeNames(NodeMetadata metadata)
    {
        var names = metadata.SymbolicDimensions.Select(n => n ?? "").ToArray();
        return names.Any(n => n.Length > 0) ? names : null;
    }

    private string? TypeName(string name, NodeMetadata metadata, FileLocation location)
    {
        if (!metadata.IsTensor)
        {
            diagnostics.Add(D.InvalidOnnxModel, location, $"'{name}' is a {metadata.OnnxValueType}, not a tensor; only tensors are supported.");
            return null;
        }
        var type = ElementTypes.FromOnnxName(metadata.ElementDataType.ToString());
        if (type is null)
        {
            diagnostics.Add(D.InvalidOnnxModel, location,
                $"'{name}' holds {metadata.ElementDataType} values; supported element types are {ElementTypes.SupportedList}.");
        }
        return type;
    }
}

using MLOps.Build.Trainer.Export.Onnx;
using MLOps.Onnx;

namespace MLOps.Build.Trainer.Export;

/// <summary>The few ModelProto header fields ONNX Runtime does not expose: IR version, producer and opsets.</summary>
public sealed record OnnxGraphInfo(long IrVersion, string Producer, IReadOnlyDictionary<string, long> Opsets)
{
    private static readonly Google.Protobuf.MessageParser<ModelHeaderProto> HeaderParser =
        ModelHeaderProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>Reads the header without materializing the graph.</summary>
    public static OnnxGraphInfo Read(byte[] model)
    {
        var header = HeaderParser.ParseFrom(model);
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var opset in header.OpsetImport)
        {
            opsets[opset.Domain.Length == 0 ? "ai.onnx" : opset.Domain] = opset.Version;
        }
        return new OnnxGraphInfo(header.IrVersion, header.ProducerName, opsets);
    }

    /// <summary>Nodes in the main graph.</summary>
    public static int NodeCount(byte[] model) => OnnxModels.Parse(model).Graph?.Node.Count ?? 0;

    public long DefaultOpset => Opsets.TryGetValue("ai.onnx", out var v) ? v : 0;
}

using Google.Protobuf;

namespace MLOps.Build.Trainer.Export;

/// <summary>The few ModelProto header fields ONNX Runtime does not expose: IR version, producer and opsets.</summary>
public sealed record OnnxGraphInfo(long IrVersion, string Producer, IReadOnlyDictionary<string, long> Opsets)
{
    // Field numbers from onnx.proto: ModelProto.ir_version = 1, producer_name = 2, opset_import = 8;
    // OperatorSetIdProto.domain = 1, version = 2.
    public static OnnxGraphInfo Read(byte[] model)
    {
        long irVersion = 0;
        var producer = "";
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    irVersion = input.ReadInt64();
                    break;
                case 2:
                    producer = input.ReadString();
                    break;
                case 8:
                    var (domain, version) = ReadOpset(input.ReadBytes());
                    opsets[domain.Length == 0 ? "ai.onnx" : domain] = version;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OnnxGraphInfo(irVersion, producer, opsets);
    }

    /// <summary>Nodes in the main graph (ModelProto.graph = 7, GraphProto.node = 1).</summary>
    public static int NodeCount(byte[] model)
    {
        var graph = Protobuf.ProtoMessage.Read(model).FirstOrDefault(f => f.Number == Protobuf.OnnxFields.ModelGraph);
        return graph is null ? 0 : Protobuf.ProtoMessage.Read(graph.Payload).Count(f => f.Number == Protobuf.OnnxFields.GraphNode);
    }

    public long DefaultOpset => Opsets.TryGetValue("ai.onnx", out var v) ? v : 0;

    private static (string Domain, long Version) ReadOpset(ByteString bytes)
    {
        var domain = "";
        long version = 0;
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: domain = input.ReadString(); break;
                case 2: version = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (domain, version);
    }
}

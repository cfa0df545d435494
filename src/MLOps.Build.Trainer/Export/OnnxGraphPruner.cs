using Google.Protobuf;
using MLOps.Build.Trainer.Export.Protobuf;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Keeps only the graph outputs an app reads and the nodes they depend on. ML.NET exports a pass-through output
/// (and nodes) for every column of its pipeline; ONNX Runtime would compute all of them on every call.
/// Works on the protobuf fields directly, in their original order, so the result stays deterministic.
/// </summary>
public static class OnnxGraphPruner
{
    // onnx.proto field numbers.
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphOutput = 12;
    private const int GraphValueInfo = 13;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int ValueInfoName = 1;
    private const int TensorName = 8;

    public static byte[] KeepOutputs(byte[] model, IReadOnlyCollection<string> outputs)
    {
        var fields = ReadFields(model);
        using var stream = new MemoryStream();
        var writer = new CodedOutputStream(stream);
        foreach (var field in fields)
        {
            if (field.Number == ModelGraph)
            {
                writer.WriteTag(ModelGraph, WireFormat.WireType.LengthDelimited);
                writer.WriteBytes(ByteString.CopyFrom(PruneGraph(field.Payload, outputs)));
            }
            else
            {
                field.WriteTo(writer);
            }
        }
        writer.Flush();
        return stream.ToArray();
    }

    private static byte[] PruneGraph(byte[] graph, IReadOnlyCollection<string> outputs)
    {
        var fields = ReadFields(graph);
        var nodes = fields.Where(f => f.Number == GraphNode).ToArray();
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var keptNodes = new HashSet<ProtoField>();
        // Nodes are topologically sorted: walking them backwards reaches every producer after its consumers.
        foreach (var node in Enumerable.Reverse(nodes))
        {
            var nodeFields = ReadFields(node.Payload);
            if (nodeFields.Any(f => f.Number == NodeOutput && needed.Contains(f.Text)))
            {
                keptNodes.Add(node);
                foreach (var input in nodeFields.Where(f => f.Number == NodeInput))
                {
                    needed.Add(input.Text);
                }
            }
        }

        using var stream = new MemoryStream();
        var writer = new CodedOutputStream(stream);
        foreach (var field in fields)
        {
            var keep = field.Number switch
            {
                GraphNode => keptNodes.Contains(field),
                GraphOutput => outputs.Contains(NameOf(field, ValueInfoName)),
                GraphValueInfo => needed.Contains(NameOf(field, ValueInfoName)),
                GraphInitializer => needed.Contains(NameOf(field, TensorName)),
                _ => true,
            };
            if (keep)
            {
                field.WriteTo(writer);
            }
        }
        writer.Flush();
        return stream.ToArray();
    }

    private static string NameOf(ProtoField message, int nameField) =>
        ReadFields(message.Payload).FirstOrDefault(f => f.Number == nameField)?.Text ?? "";

    private static List<ProtoField> ReadFields(byte[] message) => ProtoMessage.Read(message);
}

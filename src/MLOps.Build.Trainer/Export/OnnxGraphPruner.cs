using MLOps.Build.Trainer.Export.Protobuf;
using static MLOps.Build.Trainer.Export.Protobuf.OnnxFields;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Keeps only the graph outputs an app reads and the nodes they depend on. ML.NET exports a pass-through output
/// (and nodes) for every column of its pipeline; ONNX Runtime would compute all of them on every call.
/// Works on the protobuf fields directly, in their original order, so the result stays deterministic.
/// </summary>
public static class OnnxGraphPruner
{
    public static byte[] KeepOutputs(byte[] model, IReadOnlyCollection<string> outputs) =>
        OnnxModel.RewriteGraph(model, fields => PruneGraph(fields, outputs)) ?? model;

    private static List<ProtoField> PruneGraph(List<ProtoField> fields, IReadOnlyCollection<string> outputs)
    {
        var nodes = fields.Where(f => f.Number == GraphNode).ToArray();
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var keptNodes = new HashSet<ProtoField>();
        // Nodes are topologically sorted: walking them backwards reaches every producer after its consumers.
        foreach (var field in Enumerable.Reverse(nodes))
        {
            var node = new OnnxNode(field);
            if (node.Outputs.Any(needed.Contains))
            {
                keptNodes.Add(field);
                needed.UnionWith(node.Inputs);
            }
        }
        return fields.Where(field => field.Number switch
        {
            GraphNode => keptNodes.Contains(field),
            GraphOutput => outputs.Contains(OnnxModel.NameOf(field, ValueInfoName)),
            GraphValueInfo => needed.Contains(OnnxModel.NameOf(field, ValueInfoName)),
            GraphInitializer => needed.Contains(OnnxModel.NameOf(field, TensorName)),
            _ => true,
        }).ToList();
    }
}

using MLOps.Build.Trainer.Export.Onnx;
using MLOps.Onnx;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Keeps only the graph outputs an app reads and the nodes they depend on. ML.NET exports a pass-through output
/// (and nodes) for every column of its pipeline; ONNX Runtime would compute all of them on every call.
/// </summary>
public static class OnnxGraphPruner
{
    public static byte[] KeepOutputs(byte[] model, IReadOnlyCollection<string> outputs) =>
        OnnxModels.RewriteGraph(model, graph => Prune(graph, outputs)) ?? model;

    private static bool Prune(GraphProto graph, IReadOnlyCollection<string> outputs)
    {
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        // Nodes are topologically sorted: walking them backwards reaches every producer after its consumers.
        foreach (var node in graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input);
            }
        }
        Keep(graph.Node, kept.Contains);
        Keep(graph.Output, o => outputs.Contains(o.Name));
        Keep(graph.ValueInfo, v => needed.Contains(v.Name));
        Keep(graph.Initializer, t => needed.Contains(t.Name));
        return true;
    }

    private static void Keep<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> keep)
    {
        var kept = items.Where(keep).ToArray();
        items.Clear();
        items.AddRange(kept);
    }
}

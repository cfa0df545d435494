using MLOps.Build.Trainer.Export.Onnx;
using MLOps.Onnx;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Removes nodes that ML.NET's export adds but that compute nothing, because ONNX Runtime pays a fixed cost per
/// node on every call: identity-like nodes (Identity, and Max/Min/Sum/Mean of one input) become renamed tensors,
/// and per-column Imputers feeding a FeatureVectorizer become one Imputer over the vector. Other graphs pass through.
/// </summary>
public static class OnnxGraphSimplifier
{
    /// <summary>The simplified model, or null when there was nothing to simplify.</summary>
    public static byte[]? Simplify(byte[] model) => OnnxModels.RewriteGraph(model, SimplifyGraph);

    private static bool SimplifyGraph(GraphProto graph)
    {
        var nodes = graph.Node.ToList();
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var external = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);

        var changed = RemoveAliases(nodes, outputs, external) | MergeImputers(nodes, external);
        if (changed)
        {
            // Still in topological order.
            graph.Node.Clear();
            graph.Node.AddRange(nodes);
        }
        return changed;
    }

    private static bool IsAlias(NodeProto node) =>
        node.Input.Count == 1 && node.Output.Count == 1 && node.Attribute.Count == 0 && node.Domain.Length == 0
        && node.OpType is "Identity" or "Max" or "Min" or "Sum" or "Mean";

    private static bool RemoveAliases(List<NodeProto> nodes, HashSet<string> outputs, HashSet<string> external)
    {
        var changed = false;
        for (var i = 0; i < nodes.Count; i++)
        {
            var alias = nodes[i];
            if (!IsAlias(alias))
            {
                continue;
            }
            var (source, target) = (alias.Input[0], alias.Output[0]);
            string from, to;
            if (!outputs.Contains(target))
            {
                (from, to) = (target, source);     // consumers read the source directly
            }
            else if (!outputs.Contains(source) && !external.Contains(source))
            {
                (from, to) = (source, target);     // the producer writes the graph output directly
            }
            else
            {
                continue;
            }
            nodes.RemoveAt(i);
            foreach (var node in nodes)
            {
                Rename(node.Input, from, to);
                Rename(node.Output, from, to);
            }
            changed = true;
            i = -1;
        }
        return changed;
    }

    private static void Rename(Google.Protobuf.Collections.RepeatedField<string> names, string from, string to)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == from)
            {
                names[i] = to;
            }
        }
    }

    private static bool MergeImputers(List<NodeProto> nodes, HashSet<string> external)
    {
        var vectorizer = nodes.FirstOrDefault(n => n.OpType == "FeatureVectorizer" && n.Output.Count == 1);
        if (vectorizer?.Attribute("inputdimensions")?.Ints is not { } dimensions || dimensions.Any(d => d != 1))
        {
            return false;
        }
        var imputers = new List<NodeProto>();
        foreach (var input in vectorizer.Input)
        {
            var producer = nodes.FirstOrDefault(n => n.Output.Contains(input));
            if (producer is not { OpType: "Imputer", Input.Count: 1 } || !external.Contains(producer.Input[0])
                || nodes.Count(n => n.Input.Contains(input)) != 1
                || producer.Attribute.Any(a => a.Name is not ("imputed_value_floats" or "replaced_value_float"))
                || producer.Attribute("imputed_value_floats")?.Floats is not { Count: 1 })
            {
                return false;
            }
            imputers.Add(producer);
        }
        var replaced = imputers.Select(i => BitConverter.SingleToInt32Bits(i.Attribute("replaced_value_float")?.F ?? 0f)).Distinct().ToArray();
        if (replaced.Length != 1)
        {
            return false;
        }

        const string vector = "__mlops_raw_features";
        var at = nodes.IndexOf(vectorizer);
        var rawInputs = imputers.Select(i => i.Input[0]).ToArray();
        var imputed = vectorizer.Output[0];
        vectorizer.Input.Clear();
        vectorizer.Input.AddRange(rawInputs);
        vectorizer.Output[0] = vector;
        nodes.Insert(at + 1, OnnxModels.Node("Imputer", "__mlops_imputer", OnnxModels.MLDomain, [vector], [imputed],
            OnnxModels.Floats("imputed_value_floats", imputers.Select(i => i.Attribute("imputed_value_floats")!.Floats[0])),
            OnnxModels.Float("replaced_value_float", BitConverter.Int32BitsToSingle(replaced[0]))));
        nodes.RemoveAll(n => imputers.Any(i => ReferenceEquals(i, n)));
        return true;
    }
}

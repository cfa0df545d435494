using MLOps.Build.Trainer.Export.Protobuf;
using static MLOps.Build.Trainer.Export.Protobuf.OnnxFields;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Removes nodes that ML.NET's export adds but that compute nothing, because ONNX Runtime pays a fixed cost per
/// node on every call: identity-like nodes (Identity, and Max/Min/Sum/Mean of one input) become renamed tensors,
/// and per-column Imputers feeding a FeatureVectorizer become one Imputer over the vector. Other graphs pass through.
/// </summary>
public static class OnnxGraphSimplifier
{
    /// <summary>The simplified model, or null when there was nothing to simplify.</summary>
    public static byte[]? Simplify(byte[] model) => OnnxModel.RewriteGraph(model, SimplifyGraph);

    private static List<ProtoField>? SimplifyGraph(List<ProtoField> graphFields)
    {
        var nodes = graphFields.Where(f => f.Number == GraphNode).Select(f => new OnnxNode(f)).ToList();
        var outputs = graphFields.Where(f => f.Number == GraphOutput).Select(f => OnnxModel.NameOf(f, ValueInfoName)).ToHashSet(StringComparer.Ordinal);
        var external = graphFields.Where(f => f.Number == GraphInput).Select(f => OnnxModel.NameOf(f, ValueInfoName))
            .Concat(graphFields.Where(f => f.Number == GraphInitializer).Select(f => OnnxModel.NameOf(f, TensorName)))
            .ToHashSet(StringComparer.Ordinal);

        var changed = RemoveAliases(nodes, outputs, external) | MergeImputers(nodes, external);
        if (!changed)
        {
            return null;
        }
        // Nodes are written where the first node field was, in their (still topological) order.
        var rewritten = new List<ProtoField>();
        var written = false;
        foreach (var field in graphFields)
        {
            if (field.Number != GraphNode)
            {
                rewritten.Add(field);
            }
            else if (!written)
            {
                rewritten.AddRange(nodes.Select(n => n.ToField()));
                written = true;
            }
        }
        return rewritten;
    }

    private static bool IsAlias(OnnxNode node) =>
        node.Inputs.Count == 1 && node.Outputs.Count == 1 && node.Attributes.Count == 0 && node.Domain.Length == 0
        && node.OpType is "Identity" or "Max" or "Min" or "Sum" or "Mean";

    private static bool RemoveAliases(List<OnnxNode> nodes, HashSet<string> outputs, HashSet<string> external)
    {
        var changed = false;
        for (var i = 0; i < nodes.Count; i++)
        {
            var alias = nodes[i];
            if (!IsAlias(alias))
            {
                continue;
            }
            var (source, target) = (alias.Inputs[0], alias.Outputs[0]);
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
            for (var j = 0; j < nodes.Count; j++)
            {
                nodes[j] = nodes[j].With(nodes[j].Inputs.Select(n => n == from ? to : n), nodes[j].Outputs.Select(n => n == from ? to : n));
            }
            changed = true;
            i = -1;
        }
        return changed;
    }

    private static bool MergeImputers(List<OnnxNode> nodes, HashSet<string> external)
    {
        var vectorizer = nodes.FirstOrDefault(n => n.OpType == "FeatureVectorizer" && n.Outputs.Count == 1);
        if (vectorizer is null || vectorizer.Attribute("inputdimensions")?.Ints is not { } dimensions || dimensions.Any(d => d != 1))
        {
            return false;
        }
        var imputers = new List<OnnxNode>();
        foreach (var input in vectorizer.Inputs)
        {
            var producer = nodes.FirstOrDefault(n => n.Outputs.Contains(input));
            if (producer is not { OpType: "Imputer", Inputs.Count: 1 } || !external.Contains(producer.Inputs[0])
                || nodes.Count(n => n.Inputs.Contains(input)) != 1
                || producer.Attributes.Any(a => a.Name is not ("imputed_value_floats" or "replaced_value_float"))
                || producer.Attribute("imputed_value_floats")?.Floats is not { Count: 1 })
            {
                return false;
            }
            imputers.Add(producer);
        }
        var replaced = imputers.Select(i => BitConverter.SingleToInt32Bits(i.Attribute("replaced_value_float")?.FloatValue ?? 0f)).Distinct().ToArray();
        if (replaced.Length != 1)
        {
            return false;
        }

        var vector = "__mlops_raw_features";
        var at = nodes.IndexOf(vectorizer);
        nodes[at] = vectorizer.With(imputers.Select(i => i.Inputs[0]), [vector]);
        nodes.Insert(at + 1, OnnxNode.Create("Imputer", "__mlops_imputer", "ai.onnx.ml", [vector], [vectorizer.Outputs[0]],
        [
            OnnxAttribute.FloatList("imputed_value_floats", imputers.Select(i => i.Attribute("imputed_value_floats")!.Floats[0])),
            OnnxAttribute.Float("replaced_value_float", BitConverter.Int32BitsToSingle(replaced[0])),
        ]));
        nodes.RemoveAll(imputers.Contains);
        return true;
    }
}

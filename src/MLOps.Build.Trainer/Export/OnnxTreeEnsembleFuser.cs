using MLOps.Build.Trainer.Export.Protobuf;
using static MLOps.Build.Trainer.Export.Protobuf.OnnxFields;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// ML.NET exports a one-versus-all tree classifier (LightGbm or FastTree multiclass) as one TreeEnsembleRegressor
/// per class, each followed by its own Platt scaling (Mul, Add, Sigmoid, Clip), then a Sum, one Div per class and a
/// Concat: six nodes per class that ONNX Runtime executes one by one, a fixed cost on every single-row call. This
/// rewrites exactly that pattern into one multi-target ensemble and one vectorized chain
/// (TreeEnsembleRegressor[K] → Mul → Add → Sigmoid → Clip → ReduceSum, Div), and leaves any other graph alone.
/// The exporter keeps the result only when it scores the test set as the original graph does.
/// </summary>
public static class OnnxTreeEnsembleFuser
{
    private const string Prefix = "__mlops_fused_";

    private static readonly HashSet<string> KnownEnsembleAttributes =
    [
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values", "nodes_truenodeids",
        "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates", "target_treeids", "target_nodeids",
        "target_ids", "target_weights", "base_values", "n_targets", "post_transform", "aggregate_function",
    ];

    /// <summary>The fused model, or null when the graph does not have the one-versus-all tree pattern.</summary>
    public static byte[]? Fuse(byte[] model) => OnnxModel.RewriteGraph(model, FuseGraph);

    private static List<ProtoField>? FuseGraph(List<ProtoField> graphFields)
    {
        var nodes = graphFields.Where(f => f.Number == GraphNode).Select(f => new OnnxNode(f)).ToList();
        var initializers = graphFields.Where(f => f.Number == GraphInitializer).Select(f => new OnnxTensor(f.Payload))
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var consumers = nodes.SelectMany(n => n.Inputs.Select(i => (Input: i, Node: n)))
            .ToLookup(p => p.Input, p => p.Node);

        var match = nodes.Where(n => n.OpType == "TreeEnsembleRegressor" && n.Inputs.Count == 1)
            .GroupBy(n => n.Inputs[0])
            .Select(g => Match(g.ToList(), consumers, initializers))
            .FirstOrDefault(m => m is not null);
        if (match is null)
        {
            return null;
        }

        var k = match.Classes.Count;
        var scores = Prefix + "scores";
        var fused = new[]
        {
            OnnxNode.Create("TreeEnsembleRegressor", Prefix + "ensemble", "ai.onnx.ml", [match.Input], [scores], MergeEnsembles(match.Classes.Select(c => c.Ensemble).ToList())),
            OnnxNode.Create("Mul", Prefix + "mul", "", [scores, Prefix + "slope"], [Prefix + "mul"], []),
            OnnxNode.Create("Add", Prefix + "add", "", [Prefix + "mul", Prefix + "offset"], [Prefix + "linear"], []),
            OnnxNode.Create("Sigmoid", Prefix + "sigmoid", "", [Prefix + "linear"], [Prefix + "probability"], []),
            OnnxNode.Create("Clip", Prefix + "clip", "", [Prefix + "probability", match.Classes[0].Clip.Inputs[1]], [Prefix + "clipped"], []),
        };
        var reduceSum = OnnxNode.Create("ReduceSum", Prefix + "sum", "", [Prefix + "clipped"], [match.Sum.Outputs[0]],
            [OnnxAttribute.IntList("axes", [1]), OnnxAttribute.Int("keepdims", 1)]);
        var divide = OnnxNode.Create("Div", Prefix + "div", "", [Prefix + "clipped", match.Classes[0].Divide.Inputs[1]], [match.Concat.Outputs[0]], []);

        var removed = new HashSet<OnnxNode>(match.Classes.SelectMany(c => new[] { c.Ensemble, c.Mul, c.Add, c.Sigmoid, c.Clip, c.Divide }));
        var output = new List<ProtoField>();
        var index = 0;
        foreach (var field in graphFields)
        {
            if (field.Number != GraphNode)
            {
                output.Add(field);
                continue;
            }
            var node = nodes[index++];
            if (node == match.Classes[0].Ensemble)
            {
                output.AddRange(fused.Select(n => n.ToField()));
            }
            else if (node == match.Sum)
            {
                output.Add(reduceSum.ToField());
            }
            else if (node == match.Concat)
            {
                output.Add(divide.ToField());
            }
            else if (!removed.Contains(node))
            {
                output.Add(field);
            }
        }
        output.Add(ProtoField.Bytes(GraphInitializer, OnnxTensor.FloatVector(Prefix + "slope", match.Classes.Select(c => c.Slope))));
        output.Add(ProtoField.Bytes(GraphInitializer, OnnxTensor.FloatVector(Prefix + "offset", match.Classes.Select(c => c.Offset))));
        return output;
    }

    private sealed record ClassChain(OnnxNode Ensemble, OnnxNode Mul, OnnxNode Add, OnnxNode Sigmoid, OnnxNode Clip, OnnxNode Divide, float Slope, float Offset);

    private sealed record PatternMatch(string Input, IReadOnlyList<ClassChain> Classes, OnnxNode Sum, OnnxNode Concat);

    private static PatternMatch? Match(List<OnnxNode> ensembles, ILookup<string, OnnxNode> consumers, Dictionary<string, OnnxTensor> initializers)
    {
        if (ensembles.Count < 2)
        {
            return null;
        }
        OnnxNode? Only(string tensor, string opType) =>
            consumers[tensor].Count() == 1 && consumers[tensor].First() is { } n && n.OpType == opType && n.Inputs[0] == tensor ? n : null;

        var chains = new List<ClassChain>();
        foreach (var ensemble in ensembles)
        {
            if (!IsPlainSingleTarget(ensemble)
                || Only(ensemble.Outputs[0], "Mul") is not { Inputs.Count: 2 } mul
                || initializers.GetValueOrDefault(mul.Inputs[1])?.Scalar is not { } slope
                || Only(mul.Outputs[0], "Add") is not { Inputs.Count: 2 } add
                || initializers.GetValueOrDefault(add.Inputs[1])?.Scalar is not { } offset
                || Only(add.Outputs[0], "Sigmoid") is not { } sigmoid
                || Only(sigmoid.Outputs[0], "Clip") is not { Inputs.Count: 2 } clip
                || initializers.GetValueOrDefault(clip.Inputs[1])?.Scalar is not { } minimum)
            {
                return null;
            }
            var uses = consumers[clip.Outputs[0]].ToArray();
            var divide = uses.FirstOrDefault(n => n.OpType == "Div" && n.Inputs.Count == 2 && n.Inputs[0] == clip.Outputs[0]);
            if (uses.Length != 2 || divide is null || uses.Count(n => n.OpType == "Sum") != 1
                || (chains.Count > 0 && initializers[chains[0].Clip.Inputs[1]].Scalar != minimum))
            {
                return null;
            }
            chains.Add(new ClassChain(ensemble, mul, add, sigmoid, clip, divide, slope, offset));
        }

        var sum = consumers[chains[0].Clip.Outputs[0]].Single(n => n.OpType == "Sum");
        var concat = consumers[chains[0].Divide.Outputs[0]].FirstOrDefault();
        var normalizer = chains[0].Divide.Inputs[1];
        if (!sum.Inputs.SequenceEqual(chains.Select(c => c.Clip.Outputs[0]))
            || concat is not { OpType: "Concat" }
            || !concat.Inputs.SequenceEqual(chains.Select(c => c.Divide.Outputs[0]))
            || concat.Attributes.Any(a => a.Name == "axis" && a.IntValue != 1 && a.IntValue != -1)
            || chains.Any(c => c.Divide.Inputs[1] != normalizer || consumers[c.Divide.Outputs[0]].Count() != 1))
        {
            return null;
        }
        return new PatternMatch(ensembles[0].Inputs[0], chains, sum, concat);
    }

    private static bool IsPlainSingleTarget(OnnxNode ensemble)
    {
        var attributes = ensemble.Attributes.ToDictionary(a => a.Name);
        return ensemble.Outputs.Count == 1
            && attributes.Keys.All(KnownEnsembleAttributes.Contains)
            && (!attributes.TryGetValue("n_targets", out var targets) || targets.IntValue == 1)
            && (!attributes.TryGetValue("post_transform", out var post) || post.StringValue == "NONE")
            && (!attributes.TryGetValue("aggregate_function", out var aggregate) || aggregate.StringValue == "SUM")
            && (!attributes.TryGetValue("base_values", out var bases) || bases.Floats.Count <= 1);
    }

    /// <summary>One ensemble with every tree of every class; each class's leaves feed target <c>k</c>.</summary>
    private static List<OnnxAttribute> MergeEnsembles(List<OnnxNode> ensembles)
    {
        var names = ensembles[0].Attributes.Select(a => a.Name).Where(n => n is not ("n_targets" or "post_transform" or "aggregate_function" or "base_values")).ToArray();
        var ints = new Dictionary<string, List<long>>();
        var floats = new Dictionary<string, List<float>>();
        var strings = new Dictionary<string, List<byte[]>>();
        var treeOffset = 0L;
        var bases = new List<float>();
        for (var k = 0; k < ensembles.Count; k++)
        {
            var attributes = ensembles[k].Attributes.ToDictionary(a => a.Name);
            foreach (var name in names)
            {
                var attribute = attributes[name];
                switch (name)
                {
                    case "nodes_treeids" or "target_treeids":
                        Add(ints, name, attribute.Ints.Select(t => t + treeOffset));
                        break;
                    case "target_ids":
                        Add(ints, name, attribute.Ints.Select(_ => (long)k));
                        break;
                    case "nodes_modes":
                        Add(strings, name, attribute.Strings);
                        break;
                    case "nodes_values" or "nodes_hitrates" or "target_weights":
                        Add(floats, name, attribute.Floats);
                        break;
                    default:
                        Add(ints, name, attribute.Ints);
                        break;
                }
            }
            bases.Add(attributes.TryGetValue("base_values", out var b) && b.Floats.Count == 1 ? b.Floats[0] : 0f);
            treeOffset += attributes["nodes_treeids"].Ints.DefaultIfEmpty(-1).Max() + 1;
        }

        var merged = new List<OnnxAttribute>
        {
            OnnxAttribute.Int("n_targets", ensembles.Count),
            OnnxAttribute.String("post_transform", "NONE"),
            OnnxAttribute.String("aggregate_function", "SUM"),
            OnnxAttribute.FloatList("base_values", bases),
        };
        foreach (var name in names)
        {
            merged.Add(ints.TryGetValue(name, out var i) ? OnnxAttribute.IntList(name, i)
                : floats.TryGetValue(name, out var f) ? OnnxAttribute.FloatList(name, f)
                : OnnxAttribute.StringList(name, strings[name]));
        }
        return merged;

        static void Add<T>(Dictionary<string, List<T>> target, string name, IEnumerable<T> values)
        {
            if (!target.TryGetValue(name, out var list))
            {
                target[name] = list = [];
            }
            list.AddRange(values);
        }
    }
}

using Google.Protobuf;
using MLOps.Build.Trainer.Export.Onnx;
using MLOps.Onnx;

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
    public static byte[]? Fuse(byte[] model) => OnnxModels.RewriteGraph(model, FuseGraph);

    private static bool FuseGraph(GraphProto graph)
    {
        var nodes = graph.Node.ToList();
        var initializers = graph.Initializer.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var consumers = OnnxModels.Consumers(nodes);

        var match = nodes.Where(n => n.OpType == "TreeEnsembleRegressor" && n.Input.Count == 1)
            .GroupBy(n => n.Input[0])
            .Select(g => Match(g.ToList(), consumers, initializers))
            .FirstOrDefault(m => m is not null);
        if (match is null)
        {
            return false;
        }

        var scores = Prefix + "scores";
        var fused = new[]
        {
            OnnxModels.Node("TreeEnsembleRegressor", Prefix + "ensemble", OnnxModels.MLDomain, [match.Input], [scores], [.. MergeEnsembles(match.Classes.Select(c => c.Ensemble).ToList())]),
            OnnxModels.Node("Mul", Prefix + "mul", "", [scores, Prefix + "slope"], [Prefix + "mul"]),
            OnnxModels.Node("Add", Prefix + "add", "", [Prefix + "mul", Prefix + "offset"], [Prefix + "linear"]),
            OnnxModels.Node("Sigmoid", Prefix + "sigmoid", "", [Prefix + "linear"], [Prefix + "probability"]),
            OnnxModels.Node("Clip", Prefix + "clip", "", [Prefix + "probability", match.Classes[0].Clip.Input[1]], [Prefix + "clipped"]),
        };
        var reduceSum = OnnxModels.Node("ReduceSum", Prefix + "sum", "", [Prefix + "clipped"], [match.Sum.Output[0]],
            OnnxModels.Ints("axes", [1]), OnnxModels.Int("keepdims", 1));
        var divide = OnnxModels.Node("Div", Prefix + "div", "", [Prefix + "clipped", match.Classes[0].Divide.Input[1]], [match.Concat.Output[0]]);

        var removed = new HashSet<NodeProto>(match.Classes.SelectMany(c => new[] { c.Ensemble, c.Mul, c.Add, c.Sigmoid, c.Clip, c.Divide }), ReferenceEqualityComparer.Instance);
        var rewritten = new List<NodeProto>();
        foreach (var node in nodes)
        {
            if (ReferenceEquals(node, match.Classes[0].Ensemble))
            {
                rewritten.AddRange(fused);
            }
            else if (ReferenceEquals(node, match.Sum))
            {
                rewritten.Add(reduceSum);
            }
            else if (ReferenceEquals(node, match.Concat))
            {
                rewritten.Add(divide);
            }
            else if (!removed.Contains(node))
            {
                rewritten.Add(node);
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        graph.Initializer.Add(OnnxModels.FloatVector(Prefix + "slope", match.Classes.Select(c => c.Slope)));
        graph.Initializer.Add(OnnxModels.FloatVector(Prefix + "offset", match.Classes.Select(c => c.Offset)));
        return true;
    }

    private sealed record ClassChain(NodeProto Ensemble, NodeProto Mul, NodeProto Add, NodeProto Sigmoid, NodeProto Clip, NodeProto Divide, float Slope, float Offset);

    private sealed record PatternMatch(string Input, IReadOnlyList<ClassChain> Classes, NodeProto Sum, NodeProto Concat);

    private static PatternMatch? Match(List<NodeProto> ensembles, ILookup<string, NodeProto> consumers, Dictionary<string, TensorProto> initializers)
    {
        if (ensembles.Count < 2)
        {
            return null;
        }
        NodeProto? Only(string tensor, string opType) =>
            consumers[tensor].Count() == 1 && consumers[tensor].First() is { } n && n.OpType == opType && n.Input[0] == tensor ? n : null;

        var chains = new List<ClassChain>();
        foreach (var ensemble in ensembles)
        {
            if (!IsPlainSingleTarget(ensemble)
                || Only(ensemble.Output[0], "Mul") is not { Input.Count: 2 } mul
                || initializers.GetValueOrDefault(mul.Input[1])?.Scalar() is not { } slope
                || Only(mul.Output[0], "Add") is not { Input.Count: 2 } add
                || initializers.GetValueOrDefault(add.Input[1])?.Scalar() is not { } offset
                || Only(add.Output[0], "Sigmoid") is not { } sigmoid
                || Only(sigmoid.Output[0], "Clip") is not { Input.Count: 2 } clip
                || initializers.GetValueOrDefault(clip.Input[1])?.Scalar() is not { } minimum)
            {
                return null;
            }
            var uses = consumers[clip.Output[0]].ToArray();
            var divide = uses.FirstOrDefault(n => n.OpType == "Div" && n.Input.Count == 2 && n.Input[0] == clip.Output[0]);
            if (uses.Length != 2 || divide is null || uses.Count(n => n.OpType == "Sum") != 1
                || (chains.Count > 0 && initializers[chains[0].Clip.Input[1]].Scalar() != minimum))
            {
                return null;
            }
            chains.Add(new ClassChain(ensemble, mul, add, sigmoid, clip, divide, slope, offset));
        }

        var sum = consumers[chains[0].Clip.Output[0]].Single(n => n.OpType == "Sum");
        var concat = consumers[chains[0].Divide.Output[0]].FirstOrDefault();
        var normalizer = chains[0].Divide.Input[1];
        if (!sum.Input.SequenceEqual(chains.Select(c => c.Clip.Output[0]))
            || concat is not { OpType: "Concat" }
            || !concat.Input.SequenceEqual(chains.Select(c => c.Divide.Output[0]))
            || concat.Attribute.Any(a => a.Name == "axis" && a.I != 1 && a.I != -1)
            || chains.Any(c => c.Divide.Input[1] != normalizer || consumers[c.Divide.Output[0]].Count() != 1))
        {
            return null;
        }
        return new PatternMatch(ensembles[0].Input[0], chains, sum, concat);
    }

    private static bool IsPlainSingleTarget(NodeProto ensemble)
    {
        var attributes = ensemble.Attribute.ToDictionary(a => a.Name);
        return ensemble.Output.Count == 1
            && attributes.Keys.All(KnownEnsembleAttributes.Contains)
            && (!attributes.TryGetValue("n_targets", out var targets) || targets.I == 1)
            && (!attributes.TryGetValue("post_transform", out var post) || post.S.ToStringUtf8() == "NONE")
            && (!attributes.TryGetValue("aggregate_function", out var aggregate) || aggregate.S.ToStringUtf8() == "SUM")
            && (!attributes.TryGetValue("base_values", out var bases) || bases.Floats.Count <= 1);
    }

    /// <summary>One ensemble with every tree of every class; each class's leaves feed target <c>k</c>.</summary>
    private static List<AttributeProto> MergeEnsembles(List<NodeProto> ensembles)
    {
        var names = ensembles[0].Attribute.Select(a => a.Name).Where(n => n is not ("n_targets" or "post_transform" or "aggregate_function" or "base_values")).ToArray();
        var ints = new Dictionary<string, List<long>>();
        var floats = new Dictionary<string, List<float>>();
        var strings = new Dictionary<string, List<ByteString>>();
        var treeOffset = 0L;
        var bases = new List<float>();
        for (var k = 0; k < ensembles.Count; k++)
        {
            var attributes = ensembles[k].Attribute.ToDictionary(a => a.Name);
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

        var merged = new List<AttributeProto>
        {
            OnnxModels.Int("n_targets", ensembles.Count),
            OnnxModels.String("post_transform", "NONE"),
            OnnxModels.String("aggregate_function", "SUM"),
            OnnxModels.Floats("base_values", bases),
        };
        foreach (var name in names)
        {
            merged.Add(ints.TryGetValue(name, out var i) ? OnnxModels.Ints(name, i)
                : floats.TryGetValue(name, out var f) ? OnnxModels.Floats(name, f)
                : OnnxModels.Strings(name, strings[name]));
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

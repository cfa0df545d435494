using MLOps.Onnx;
using static MLOps.Build.Trainer.Export.Onnx.OnnxModels;

namespace MLOps.Runtime.Tests.Compiled;

/// <summary>Seeded random tree ensembles over F features: every node mode, optional missing-value tracking, several targets per leaf.</summary>
internal static class TreeGraphs
{
    public sealed record Ensemble(AttributeProto[] Nodes, long[] LeafTrees, long[] LeafNodes);

    public static Ensemble Random(int seed, int trees, int depth, int features, string[] modes, bool missingTracks)
    {
        var random = new Random(seed);
        var (treeIds, nodeIds, featureIds, values, nodeModes, trueIds, falseIds, missing) = (new List<long>(), new List<long>(), new List<long>(), new List<float>(), new List<string>(), new List<long>(), new List<long>(), new List<long>());
        var (leafTrees, leafNodes) = (new List<long>(), new List<long>());
        for (var t = 0; t < trees; t++)
        {
            var next = 0L;
            Grow(t, next++, 0);

            void Grow(long tree, long id, int level)
            {
                // Unbalanced trees: a branch stops early now and then.
                var leaf = level == depth || (level > 0 && random.Next(4) == 0);
                treeIds.Add(tree);
                nodeIds.Add(id);
                var at = nodeIds.Count - 1;
                featureIds.Add(leaf ? 0 : random.Next(features));
                // Thresholds on a coarse grid, so that synthetic values fall exactly on them.
                values.Add(leaf ? 0 : MathF.Round((float)(random.NextDouble() * 20 - 10), 1));
                nodeModes.Add(leaf ? "LEAF" : modes[random.Next(modes.Length)]);
                missing.Add(missingTracks && random.Next(2) == 0 ? 1 : 0);
                trueIds.Add(0);
                falseIds.Add(0);
                if (leaf)
                {
                    leafTrees.Add(tree);
                    leafNodes.Add(id);
                    return;
                }
                var trueId = next++;
                Grow(tree, trueId, level + 1);
                var falseId = next++;
                Grow(tree, falseId, level + 1);
                trueIds[at] = trueId;
                falseIds[at] = falseId;
            }
        }
        AttributeProto[] nodes =
        [
            Ints("nodes_treeids", treeIds), Ints("nodes_nodeids", nodeIds), Ints("nodes_featureids", featureIds),
            Floats("nodes_values", values), TestGraph.Texts("nodes_modes", [.. nodeModes]),
            Ints("nodes_truenodeids", trueIds), Ints("nodes_falsenodeids", falseIds),
            .. missingTracks ? new[] { Ints("nodes_missing_value_tracks_true", missing) } : [],
        ];
        return new Ensemble(nodes, [.. leafTrees], [.. leafNodes]);
    }

    /// <summary>Leaf weights: each leaf votes for one target (or, with <paramref name="spread"/>, for every target).</summary>
    public static AttributeProto[] Weights(Ensemble ensemble, string prefix, int targets, int seed, bool spread, bool positive)
    {
        var random = new Random(seed);
        var (trees, nodes, ids, weights) = (new List<long>(), new List<long>(), new List<long>(), new List<float>());
        for (var i = 0; i < ensemble.LeafNodes.Length; i++)
        {
            var votes = spread ? Enumerable.Range(0, targets) : [random.Next(targets)];
            foreach (var target in votes)
            {
                trees.Add(ensemble.LeafTrees[i]);
                nodes.Add(ensemble.LeafNodes[i]);
                ids.Add(target);
                weights.Add(positive ? (float)random.NextDouble() : (float)(random.NextDouble() * 2 - 1));
            }
        }
        return [Ints($"{prefix}_treeids", trees), Ints($"{prefix}_nodeids", nodes), Ints($"{prefix}_ids", ids), Floats($"{prefix}_weights", weights)];
    }
}

using MLOps.Onnx;
using MLOps.Runtime.Compiled.Kernels;

namespace MLOps.Runtime.Compiled;

/// <summary>
/// Flattens the parallel attribute arrays of a TreeEnsembleRegressor/Classifier into <see cref="TreeEnsemble"/>:
/// each tree's branches in pre-order (the true child right after its parent), leaves numbered apart with their
/// weights. Trees keep the order in which their ids first appear, which is the order ONNX Runtime sums them in.
/// </summary>
internal static class TreeEnsembleBuilder
{
    public static TreeEnsemble Build(NodeProto node, string weightPrefix, int targets, int featureCount)
    {
        var treeIds = node.Ints("nodes_treeids");
        var nodeIds = node.Ints("nodes_nodeids");
        var features = node.Ints("nodes_featureids");
        var modes = node.Strings("nodes_modes");
        var values = node.Floats("nodes_values");
        var trueIds = node.Ints("nodes_truenodeids");
        var falseIds = node.Ints("nodes_falsenodeids");
        var missing = node.Ints("nodes_missing_value_tracks_true");
        var count = treeIds.Length;
        if (new[] { nodeIds.Length, features.Length, modes.Length, trueIds.Length, falseIds.Length }.Any(l => l != count) || (values.Length != count && values.Length != 0))
        {
            throw new UnsupportedGraphException("the nodes_* attributes differ in length");
        }

        var position = new Dictionary<(long Tree, long Node), int>(count);
        var treeOrder = new List<long>();
        for (var i = 0; i < count; i++)
        {
            if (!position.TryAdd((treeIds[i], nodeIds[i]), i))
            {
                throw new UnsupportedGraphException($"tree {treeIds[i]} has node {nodeIds[i]} twice");
            }
            if (nodeIds[i] == 0)
            {
                treeOrder.Add(treeIds[i]);
            }
        }

        var weightTrees = node.Ints($"{weightPrefix}_treeids");
        var weightNodes = node.Ints($"{weightPrefix}_nodeids");
        var weightTargets = node.Ints($"{weightPrefix}_ids");
        var weightValues = node.Floats($"{weightPrefix}_weights");
        if (new[] { weightNodes.Length, weightTargets.Length, weightValues.Length }.Any(l => l != weightTrees.Length))
        {
            throw new UnsupportedGraphException($"the {weightPrefix}_* attributes differ in length");
        }
        var leafWeights = new Dictionary<(long, long), List<(int Target, float Weight)>>();
        for (var i = 0; i < weightTrees.Length; i++)
        {
            if (weightTargets[i] < 0 || weightTargets[i] >= targets)
            {
                throw new UnsupportedGraphException($"{weightPrefix} id {weightTargets[i]} is outside the {targets} targets");
            }
            var key = (weightTrees[i], weightNodes[i]);
            if (!leafWeights.TryGetValue(key, out var list))
            {
                leafWeights[key] = list = [];
            }
            list.Add(((int)weightTargets[i], weightValues[i]));
        }

        var nodes = new List<TreeNode>(count);
        var nodeModes = new List<NodeMode>(count);
        var tracksMissing = new List<bool>(count);
        var leafStarts = new List<int> { 0 };
        var leafTargets = new List<int>();
        var leafValues = new List<float>();
        var roots = new int[treeOrder.Count];
        var stack = new Stack<(int Position, int Parent, bool TrueChild)>();
        for (var t = 0; t < treeOrder.Count; t++)
        {
            var tree = treeOrder[t];
            var visited = new HashSet<int>();
            stack.Push((position[(tree, 0)], -1, false));
            while (stack.Count > 0)
            {
                var (at, parent, trueChild) = stack.Pop();
                if (!visited.Add(at))
                {
                    throw new UnsupportedGraphException($"tree {tree} is not a tree (node {nodeIds[at]} is reached twice)");
                }
                int index;
                if (modes[at] == "LEAF")
                {
                    var weights = leafWeights.GetValueOrDefault((tree, nodeIds[at])) ?? [];
                    index = ~(leafStarts.Count - 1);
                    foreach (var (target, weight) in weights)
                    {
                        leafTargets.Add(target);
                        leafValues.Add(weight);
                    }
                    leafStarts.Add(leafTargets.Count);
                }
                else
                {
                    if (features[at] < 0 || features[at] >= featureCount)
                    {
                        throw new UnsupportedGraphException($"tree {tree} node {nodeIds[at]} splits on feature {features[at]} of {featureCount}");
                    }
                    index = nodes.Count;
                    nodes.Add(new TreeNode { Feature = (int)features[at], Threshold = values.Length == 0 ? 0f : values[at] });
                    nodeModes.Add(Mode(modes[at]));
                    tracksMissing.Add(at < missing.Length && missing[at] == 1);
                    stack.Push((Child(tree, falseIds[at]), index, false));
                    stack.Push((Child(tree, trueIds[at]), index, true));
                }
                if (parent < 0)
                {
                    roots[t] = index;
                }
                else
                {
                    var branch = nodes[parent];
                    if (trueChild)
                    {
                        branch.True = index;
                    }
                    else
                    {
                        branch.False = index;
                    }
                    nodes[parent] = branch;
                }
            }
        }

        var sameMode = nodeModes.Count == 0 || nodeModes.All(m => m == nodeModes[0]);
        var anyMissing = tracksMissing.Any(m => m);
        var leaves = leafStarts.Count - 1;
        var oneWeight = leafTargets.Count == leaves && Enumerable.Range(0, leaves).All(l => leafStarts[l + 1] - leafStarts[l] == 1);
        var ensemble = new TreeEnsemble
        {
            Nodes = [.. nodes],
            Roots = roots,
            Modes = sameMode && !anyMissing ? null : [.. nodeModes],
            MissingTracksTrue = anyMissing ? [.. tracksMissing] : null,
            SameMode = nodeModes.Count == 0 ? NodeMode.BranchLeq : nodeModes[0],
            LeafStarts = [.. leafStarts],
            LeafTargets = [.. leafTargets],
            LeafWeights = [.. leafValues],
            OneWeightPerLeaf = oneWeight,
            Targets = targets,
            FeatureCount = featureCount,
        };
        ensemble.QuickScorer = QuickScorerTrees.From(ensemble);
        return ensemble;

        int Child(long tree, long id) => position.TryGetValue((tree, id), out var at)
            ? at
            : throw new UnsupportedGraphException($"tree {tree} points to node {id}, which it does not have");
    }

    private static NodeMode Mode(string mode) => mode switch
    {
        "BRANCH_LEQ" => NodeMode.BranchLeq,
        "BRANCH_LT" => NodeMode.BranchLt,
        "BRANCH_GTE" => NodeMode.BranchGte,
        "BRANCH_GT" => NodeMode.BranchGt,
        "BRANCH_EQ" => NodeMode.BranchEq,
        "BRANCH_NEQ" => NodeMode.BranchNeq,
        _ => throw new UnsupportedGraphException($"node mode '{mode}' is not compiled"),
    };
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLOps.Runtime.Compiled.Kernels;

internal enum NodeMode : byte
{
    BranchLeq,
    BranchLt,
    BranchGte,
    BranchGt,
    BranchEq,
    BranchNeq,
}

internal enum Aggregate
{
    Sum,
    Average,
    Min,
    Max,
}

/// <summary>
/// One branch of a flattened tree: 16 bytes, the trees of an ensemble one after another in pre-order. A child
/// index ≥ 0 is another branch, a negative one is <c>~leaf</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TreeNode
{
    public int Feature;
    public float Threshold;
    public int False;
    public int True;
}

/// <summary>
/// The trees of a TreeEnsembleRegressor or TreeEnsembleClassifier as flat arrays, and the walk that scores a row
/// against them. Semantics follow ONNX Runtime's tree_ensemble_common.h and tree_ensemble_aggregator.h: float
/// thresholds and sums, trees summed in order, NaN taking the true branch only where missing_value_tracks_true says
/// so, leaves without a weight leaving a target unscored.
/// </summary>
internal sealed class TreeEnsemble
{
    public required TreeNode[] Nodes { get; init; }

    /// <summary>Per tree: its root branch, or <c>~leaf</c> for a tree that is one leaf.</summary>
    public required int[] Roots { get; init; }

    /// <summary>Set when branches differ in mode or any tracks missing values; null for the all-BRANCH_LEQ fast path.</summary>
    public NodeMode[]? Modes { get; init; }

    public bool[]? MissingTracksTrue { get; init; }

    public NodeMode SameMode { get; init; }

    /// <summary>Per leaf: where its (target, weight) pairs start in <see cref="LeafTargets"/>/<see cref="LeafWeights"/>; one more entry than leaves.</summary>
    public required int[] LeafStarts { get; init; }

    public required int[] LeafTargets { get; init; }

    public required float[] LeafWeights { get; init; }

    /// <summary>Every leaf holds exactly one weight: leaf i's is at index i.</summary>
    public bool OneWeightPerLeaf { get; init; }

    public required int Targets { get; init; }

    /// <summary>Every branch BRANCH_LEQ without missing-value tracking and one weight per leaf: what the fast paths take.</summary>
    public bool IsPlainLeq => Modes is null && SameMode == NodeMode.BranchLeq && OneWeightPerLeaf;

    public int FeatureCount { get; init; }

    /// <summary>The same trees for <see cref="QuickScorerTrees"/>, when they qualify (BRANCH_LEQ, ≤ 64 leaves a tree).</summary>
    public QuickScorerTrees? QuickScorer { get; set; }

    /// <summary>
    /// <see cref="Accumulate"/> for <paramref name="rows"/> rows: row r's features from r × <paramref name="stride"/> +
    /// <paramref name="input"/>, its scores and marks at r × <see cref="Targets"/> (zeroed by the caller). The same
    /// bits as one row at a time: bit sets and the node walk reach the same leaves and add them in tree order.
    /// </summary>
    public void AccumulateRows(ReadOnlySpan<float> numbers, int stride, int input, int rows, Span<float> scores, Span<bool> hasScore, Aggregate aggregate)
    {
        if (QuickScorer is not null && aggregate is Aggregate.Sum or Aggregate.Average)
        {
            QuickScorer.AccumulateRows(numbers, stride, input, rows, scores, hasScore, Targets);
            return;
        }
        for (var row = 0; row < rows; row++)
        {
            Accumulate(numbers.Slice((row * stride) + input, FeatureCount), scores.Slice(row * Targets, Targets), hasScore.Slice(row * Targets, Targets), aggregate);
        }
    }

    /// <summary>Accumulates every tree's leaf into <paramref name="scores"/> (zeroed by the caller) and marks which targets were hit.</summary>
    public void Accumulate(ReadOnlySpan<float> features, Span<float> scores, Span<bool> hasScore, Aggregate aggregate)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(Nodes);
        ref var x = ref MemoryMarshal.GetReference(features);
        if (QuickScorer is { ScoresSingleRows: true } && aggregate is Aggregate.Sum or Aggregate.Average)
        {
            QuickScorer.Accumulate(features, scores, hasScore);
            return;
        }
        if (IsPlainLeq && aggregate == Aggregate.Sum)
        {
            // The common case (every exporter's BRANCH_LEQ trees without missing tracking). Tried and measured slower
            // on the sample model: four trees walked in lockstep without branches (waits on every load; 1.9x) and
            // leaves inline in pre-order so the true child is the next node (1.1x).
            ref var targets = ref MemoryMarshal.GetArrayDataReference(LeafTargets);
            ref var weights = ref MemoryMarshal.GetArrayDataReference(LeafWeights);
            foreach (var root in Roots)
            {
                var n = root;
                while (n >= 0)
                {
                    ref var node = ref Unsafe.Add(ref nodes, n);
                    n = Unsafe.Add(ref x, node.Feature) <= node.Threshold ? node.True : node.False;
                }
                var leaf = ~n;
                var target = Unsafe.Add(ref targets, leaf);
                scores[target] += Unsafe.Add(ref weights, leaf);
                hasScore[target] = true;
            }
            return;
        }
        foreach (var root in Roots)
        {
            var n = root;
            while (n >= 0)
            {
                ref var node = ref Unsafe.Add(ref nodes, n);
                var value = Unsafe.Add(ref x, node.Feature);
                var mode = Modes is null ? SameMode : Modes[n];
                var goesTrue = mode switch
                {
                    NodeMode.BranchLeq => value <= node.Threshold,
                    NodeMode.BranchLt => value < node.Threshold,
                    NodeMode.BranchGte => value >= node.Threshold,
                    NodeMode.BranchGt => value > node.Threshold,
                    NodeMode.BranchEq => value == node.Threshold,
                    _ => value != node.Threshold,
                };
                if (!goesTrue && MissingTracksTrue is not null && MissingTracksTrue[n] && float.IsNaN(value))
                {
                    goesTrue = true;
                }
                n = goesTrue ? node.True : node.False;
            }
            var leaf = ~n;
            for (var k = LeafStarts[leaf]; k < LeafStarts[leaf + 1]; k++)
            {
                var target = LeafTargets[k];
                var weight = LeafWeights[k];
                switch (aggregate)
                {
                    case Aggregate.Min:
                        scores[target] = !hasScore[target] || weight < scores[target] ? weight : scores[target];
                        break;
                    case Aggregate.Max:
                        scores[target] = !hasScore[target] || weight > scores[target] ? weight : scores[target];
                        break;
                    default:
                        scores[target] += weight;
                        break;
                }
                hasScore[target] = true;
            }
        }
    }
}

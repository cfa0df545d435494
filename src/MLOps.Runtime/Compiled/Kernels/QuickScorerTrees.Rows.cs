using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>
/// QuickScorer over a block of rows. One row at a time, every branch a row sends to its false side costs that row a
/// masked AND. In a block, a row's false branches of a feature are the prefix of that feature's sorted branches up to
/// its split, so with the rows sorted by split each row's prefix extends the one before: one pass over the feature's
/// branches builds a running set per tree, and each row takes a snapshot of it (one vectorized AND over all trees)
/// when the pass reaches its split. A branch is then applied once per block instead of once per row. Where a
/// feature's rows have few false branches in all (a one-hot slot), applying them row by row is cheaper and is done
/// instead. The exit leaf is the lowest left, and leaves are summed in tree order as for one row, so every row's
/// scores are the same bits as <see cref="Accumulate"/> gives it.
/// </summary>
internal sealed partial class QuickScorerTrees
{
    // Reachable sets kept at once (rows × trees): 256 KiB, so that a chunk of rows stays in the L2 cache.
    private const int ChunkSets = 32 * 1024;

    /// <summary>Rows' features from r × <paramref name="stride"/> + <paramref name="input"/>; scores at r × <paramref name="targets"/>.</summary>
    public void AccumulateRows(ReadOnlySpan<float> numbers, int stride, int input, int rows, Span<float> scores, Span<bool> hasScore, int targets)
    {
        var trees = _initial.Length;
        var chunk = Math.Clamp(ChunkSets / trees, 1, rows);
        var sets = ArrayPool<ulong>.Shared.Rent(chunk * trees);
        var running = ArrayPool<ulong>.Shared.Rent(trees);
        var splits = ArrayPool<int>.Shared.Rent(chunk);
        var order = ArrayPool<int>.Shared.Rent(chunk);
        try
        {
            for (var first = 0; first < rows; first += chunk)
            {
                var count = Math.Min(chunk, rows - first);
                var reachable = sets.AsSpan(0, count * trees);
                for (var row = 0; row < count; row++)
                {
                    _initial.CopyTo(reachable.Slice(row * trees, trees));
                }
                var features = numbers.Slice((first * stride) + input);
                for (var f = 0; f < _featureStart.Length - 1; f++)
                {
                    RemoveFalseBranches(f, features, stride, count, reachable, running.AsSpan(0, trees), splits.AsSpan(0, count), order.AsSpan(0, count));
                }
                for (var row = 0; row < count; row++)
                {
                    var at = (first + row) * targets;
                    AddExitLeaves(reachable.Slice(row * trees, trees), scores.Slice(at, targets), hasScore.Slice(at, targets));
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sets);
            ArrayPool<ulong>.Shared.Return(running);
            ArrayPool<int>.Shared.Return(splits);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Clears, in every row's sets, the true subtree of each branch of feature <paramref name="f"/> the row sends to its false side.</summary>
    private void RemoveFalseBranches(int f, ReadOnlySpan<float> features, int stride, int count, Span<ulong> reachable, Span<ulong> running, Span<int> splits, Span<int> order)
    {
        var (start, end) = (_featureStart[f], _featureStart[f + 1]);
        if (start == end)
        {
            return;
        }
        var trees = running.Length;
        var rowByRow = 0L;
        var furthest = start;
        for (var row = 0; row < count; row++)
        {
            var x = features[(row * stride) + f];
            var split = float.IsNaN(x) ? end : LowerBound(start, end, x);
            splits[row] = split;
            rowByRow += split - start;
            furthest = Math.Max(furthest, split);
        }
        if (rowByRow == 0)
        {
            return;
        }
        ref var branchTrees = ref MemoryMarshal.GetArrayDataReference(_branchTree);
        ref var masks = ref MemoryMarshal.GetArrayDataReference(_branchMask);

        // Row by row: each false branch one AND. In a pass: each branch up to the furthest split one AND, a sort,
        // and per row one AND over every tree's set (a vector holds Vector<ulong>.Count of them).
        var pass = (furthest - start) + ((long)count * ((trees / Vector<ulong>.Count) + 1 + 8));
        if (rowByRow <= pass)
        {
            for (var row = 0; row < count; row++)
            {
                ref var sets = ref MemoryMarshal.GetReference(reachable.Slice(row * trees, trees));
                for (var i = start; i < splits[row]; i++)
                {
                    Unsafe.Add(ref sets, Unsafe.Add(ref branchTrees, i)) &= Unsafe.Add(ref masks, i);
                }
            }
            return;
        }
        for (var row = 0; row < count; row++)
        {
            order[row] = row;
        }
        splits.Sort(order);
        running.Fill(ulong.MaxValue);
        ref var current = ref MemoryMarshal.GetReference(running);
        var next = start;
        for (var k = 0; k < count; k++)
        {
            var split = splits[k];
            if (split == start)
            {
                continue;
            }
            for (; next < split; next++)
            {
                Unsafe.Add(ref current, Unsafe.Add(ref branchTrees, next)) &= Unsafe.Add(ref masks, next);
            }
            And(reachable.Slice(order[k] * trees, trees), running);
        }
    }

    private static void And(Span<ulong> target, ReadOnlySpan<ulong> with)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var targetVectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(target);
            var withVectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(with);
            for (var v = 0; v < targetVectors.Length; v++)
            {
                targetVectors[v] &= withVectors[v];
            }
            i = targetVectors.Length * Vector<ulong>.Count;
        }
        for (; i < target.Length; i++)
        {
            target[i] &= with[i];
        }
    }

    /// <summary>Adds each tree's exit leaf, the lowest left in its set, as <see cref="Accumulate"/> does.</summary>
    private void AddExitLeaves(ReadOnlySpan<ulong> reachable, Span<float> scores, Span<bool> hasScore)
    {
        if (_treesByTarget is not null)
        {
            SumByTarget(reachable, lowest: true, scores);
        }
        else
        {
            for (var t = 0; t < reachable.Length; t++)
            {
                AddLeaf(_leafOffset[t] + BitOperations.TrailingZeroCount(reachable[t]), scores, hasScore);
            }
        }
        foreach (var target in _votedTargets)
        {
            hasScore[target] = true;
        }
    }
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>
/// QuickScorer over a block of rows. One row at a time, every branch a row sends to its false side costs that row a
/// masked AND. In a block, a row's false branches of a feature are the prefix of that feature's sorted branches up to
/// its split, so taken in the order of their splits each row's prefix extends the one before: one pass over the
/// feature's branches builds a running set per tree, and each row takes a snapshot of it (one vectorized AND over all
/// trees) when the pass reaches its split (rows listed by split, no sort). A branch is then applied once per block
/// instead of once per row. Where a feature's rows have few false branches in all (a one-hot slot), applying them row
/// by row is cheaper and is done instead. The exit leaf is the lowest left, and leaves are summed in tree order as for
/// one row, so every row's scores are the same bits as <see cref="Accumulate"/> gives it. Where every tree has at most
/// 32 leaves (ML.NET's default is 20) the sets are 32-bit: half the memory to copy and AND per row.
/// </summary>
internal sealed partial class QuickScorerTrees
{
    // Reachable sets kept at once (rows × trees): 512 KiB, so that a chunk stays in a 1 MiB L2 cache and the sample
    // model's 100-row batch (500 trees) is one chunk (two chunks of 32 K sets: 7 % slower a row).
    private const int ChunkSets = 64 * 1024;

    /// <summary>Rows' features from r × <paramref name="stride"/> + <paramref name="input"/>; scores at r × <paramref name="targets"/>.</summary>
    public void AccumulateRows(ReadOnlySpan<float> numbers, int stride, int input, int rows, Span<float> scores, Span<bool> hasScore, int targets)
    {
        if (_narrow is var (initial, masks))
        {
            AccumulateRows(initial, masks, numbers, stride, input, rows, scores, hasScore, targets);
        }
        else
        {
            AccumulateRows(_initial, _branchMask, numbers, stride, input, rows, scores, hasScore, targets);
        }
    }

    private void AccumulateRows<TSet>(TSet[] initial, TSet[] masks, ReadOnlySpan<float> numbers, int stride, int input, int rows, Span<float> scores, Span<bool> hasScore, int targets)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        var trees = initial.Length;
        var chunk = Math.Clamp(ChunkSets / trees, 1, rows);
        var sets = ArrayPool<TSet>.Shared.Rent(chunk * trees);
        var running = ArrayPool<TSet>.Shared.Rent(trees);
        var splits = ArrayPool<int>.Shared.Rent(chunk);
        var next = ArrayPool<int>.Shared.Rent(chunk);
        var below = ArrayPool<int>.Shared.Rent(chunk);
        var heads = ArrayPool<int>.Shared.Rent(_longestFeature + 1);
        try
        {
            for (var first = 0; first < rows; first += chunk)
            {
                var count = Math.Min(chunk, rows - first);
                var reachable = sets.AsSpan(0, count * trees);
                for (var row = 0; row < count; row++)
                {
                    initial.CopyTo(reachable.Slice(row * trees, trees));
                }
                var features = numbers.Slice((first * stride) + input);
                for (var f = 0; f < _featureStart.Length - 1; f++)
                {
                    RemoveFalseBranches(masks, f, features, stride, count, reachable, running.AsSpan(0, trees), below.AsSpan(0, count), splits.AsSpan(0, count), next.AsSpan(0, count), heads);
                }
                var fourRows = 0;
                if (_treesByTarget is not null)
                {
                    for (; fourRows + 4 <= count; fourRows += 4)
                    {
                        SumByTargetFourRows(reachable.Slice(fourRows * trees, 4 * trees), trees, scores.Slice((first + fourRows) * targets, 4 * targets), targets);
                    }
                }
                for (var row = 0; row < count; row++)
                {
                    var at = (first + row) * targets;
                    if (row >= fourRows)
                    {
                        AddExitLeaves(reachable.Slice(row * trees, trees), scores.Slice(at, targets), hasScore.Slice(at, targets));
                    }
                    foreach (var target in _votedTargets)
                    {
                        hasScore[at + target] = true;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<TSet>.Shared.Return(sets);
            ArrayPool<TSet>.Shared.Return(running);
            ArrayPool<int>.Shared.Return(splits);
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(below);
            ArrayPool<int>.Shared.Return(heads);
        }
    }

    /// <summary>Clears, in every row's sets, the true subtree of each branch of feature <paramref name="f"/> the row sends to its false side.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RemoveFalseBranches<TSet>(TSet[] branchMasks, int f, ReadOnlySpan<float> features, int stride, int count, Span<TSet> reachable, Span<TSet> running, Span<int> below, Span<int> splits, Span<int> next, Span<int> heads)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        var (start, end) = (_featureStart[f], _featureStart[f + 1]);
        if (start == end)
        {
            return;
        }
        CountDistinctBelow(f, features.Slice(f), stride, below);
        var rowByRow = 0L;
        var furthest = start;
        ref var distinctEnd = ref MemoryMarshal.GetArrayDataReference(_distinctEnd);
        var distinctStart = _distinctStart[f];
        for (var row = 0; row < count; row++)
        {
            var split = below[row] == 0 ? start : Unsafe.Add(ref distinctEnd, distinctStart + below[row] - 1);
            splits[row] = split;
            rowByRow += split - start;
            furthest = Math.Max(furthest, split);
        }
        if (rowByRow == 0)
        {
            return;
        }
        ref var branchTrees = ref MemoryMarshal.GetArrayDataReference(_branchTree);
        ref var masks = ref MemoryMarshal.GetArrayDataReference(branchMasks);

        // Row by row: each false branch one AND. From the table: per row one AND over every tree's set (a vector holds
        // VectorWidth of them). In a pass: each branch up to the furthest split one AND and one list head, and per row
        // the same AND over every tree's set.
        var trees = running.Length;
        var overTrees = (trees / VectorWidth<TSet>()) + 1;
        var table = _prefixSets[f] as TSet[];
        var fromTable = table is null ? long.MaxValue : (long)count * overTrees;
        var pass = (2L * (furthest - start)) + ((long)count * (overTrees + 1));
        if (rowByRow <= Math.Min(pass, fromTable))
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
        ref var rowSets = ref MemoryMarshal.GetReference(reachable);
        if (table is not null)
        {
            ref var tableSets = ref MemoryMarshal.GetArrayDataReference(table);
            for (var row = 0; row < count; row++)
            {
                if (below[row] > 0)
                {
                    And(ref Unsafe.Add(ref rowSets, row * trees), ref Unsafe.Add(ref tableSets, below[row] * trees), trees);
                }
            }
            return;
        }
        // Rows by split without sorting: a list of rows per split (heads[split - start], then next[row]), walked as
        // the pass reaches each split.
        heads.Slice(0, furthest - start + 1).Fill(-1);
        for (var row = 0; row < count; row++)
        {
            if (splits[row] > start)
            {
                next[row] = heads[splits[row] - start];
                heads[splits[row] - start] = row;
            }
        }
        running.Fill(TSet.AllBitsSet);
        ref var current = ref MemoryMarshal.GetReference(running);
        for (var i = start + 1; i <= furthest; i++)
        {
            Unsafe.Add(ref current, Unsafe.Add(ref branchTrees, i - 1)) &= Unsafe.Add(ref masks, i - 1);
            for (var row = heads[i - start]; row >= 0; row = next[row])
            {
                And(ref Unsafe.Add(ref rowSets, row * trees), ref current, trees);
            }
        }
    }

    private static int VectorWidth<TSet>() => Vector512.IsHardwareAccelerated ? Vector512<TSet>.Count : Vector256.IsHardwareAccelerated ? Vector256<TSet>.Count : 1;

    /// <summary>The <paramref name="count"/> sets at <paramref name="t"/> ANDed with those at <paramref name="w"/> (spans' set-up cost as much as the AND for 20 trees).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void And<TSet>(ref TSet t, ref TSet w, int count)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        var length = (nuint)count;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<TSet>.Count <= length; i += (nuint)Vector512<TSet>.Count)
            {
                (Vector512.LoadUnsafe(ref t, i) & Vector512.LoadUnsafe(ref w, i)).StoreUnsafe(ref t, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<TSet>.Count <= length; i += (nuint)Vector256<TSet>.Count)
            {
                (Vector256.LoadUnsafe(ref t, i) & Vector256.LoadUnsafe(ref w, i)).StoreUnsafe(ref t, i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref t, i) &= Unsafe.Add(ref w, i);
        }
    }

    /// <summary>Adds each tree's exit leaf, the lowest left in its set, as <see cref="Accumulate"/> does (its marks are the caller's).</summary>
    private void AddExitLeaves<TSet>(ReadOnlySpan<TSet> reachable, Span<float> scores, Span<bool> hasScore)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        if (_treesByTarget is not null)
        {
            SumByTarget(reachable, lowest: true, scores);
        }
        else
        {
            for (var t = 0; t < reachable.Length; t++)
            {
                AddLeaf(_leafOffset[t] + Lowest(reachable[t]), scores, hasScore);
            }
        }
    }

    /// <summary>
    /// <see cref="SumByTarget"/> for four rows at once. A target's sum must add its trees in order, so one row's sum
    /// is a chain of dependent additions (latency-bound: the sample model's 100 trees a class took 0.3 µs a row);
    /// four rows' chains are independent and overlap.
    /// </summary>
    private void SumByTargetFourRows<TSet>(ReadOnlySpan<TSet> reachable, int trees, Span<float> scores, int targets)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        ref var order = ref MemoryMarshal.GetArrayDataReference(_treesByTarget!);
        ref var offsets = ref MemoryMarshal.GetArrayDataReference(_leafOffset);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(_leafWeight);
        ref var sets0 = ref MemoryMarshal.GetReference(reachable);
        ref var sets1 = ref Unsafe.Add(ref sets0, trees);
        ref var sets2 = ref Unsafe.Add(ref sets1, trees);
        ref var sets3 = ref Unsafe.Add(ref sets2, trees);
        var starts = _targetStart!;
        for (var target = 0; target < starts.Length - 1; target++)
        {
            var (sum0, sum1, sum2, sum3) = (scores[target], scores[targets + target], scores[(2 * targets) + target], scores[(3 * targets) + target]);
            for (var i = starts[target]; i < starts[target + 1]; i++)
            {
                var t = Unsafe.Add(ref order, i);
                ref var leaves = ref Unsafe.Add(ref weights, Unsafe.Add(ref offsets, t));
                sum0 += Unsafe.Add(ref leaves, Lowest(Unsafe.Add(ref sets0, t)));
                sum1 += Unsafe.Add(ref leaves, Lowest(Unsafe.Add(ref sets1, t)));
                sum2 += Unsafe.Add(ref leaves, Lowest(Unsafe.Add(ref sets2, t)));
                sum3 += Unsafe.Add(ref leaves, Lowest(Unsafe.Add(ref sets3, t)));
            }
            (scores[target], scores[targets + target], scores[(2 * targets) + target], scores[(3 * targets) + target]) = (sum0, sum1, sum2, sum3);
        }
    }
}

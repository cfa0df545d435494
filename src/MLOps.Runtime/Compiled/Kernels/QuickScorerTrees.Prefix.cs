using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>
/// Splits found for many rows at once, and features whose false branches a row applies with one AND over the trees.
/// A row's false branches of a feature are those whose threshold is below its value, so they depend only on how many
/// of the feature's distinct thresholds are below it. Where a feature has few distinct thresholds (a one-hot slot has
/// one; the 20-tree churn model's numbers 38 and 78), every tree's set after each such prefix is kept in a table, and
/// a row ANDs the one row of the table its value picks: the same bits as applying the branches one by one, since AND
/// commutes.
/// </summary>
internal sealed partial class QuickScorerTrees
{
    // A feature's table is kept when it takes at most this much memory, and a model's tables at most the second: the
    // churn model's take 9 KiB in all, the 500-tree sample model's one-hot slots 8 KiB each.
    private const int PrefixTableBytes = 64 * 1024;
    private const int PrefixTablesBytes = 512 * 1024;

    /// <summary>Each feature's distinct thresholds, ascending: feature f's at [<see cref="_distinctStart"/>[f], [f + 1]).</summary>
    private readonly float[] _distinct = [];
    private readonly int[] _distinctStart = [];

    /// <summary>For distinct threshold j, the branch one past the last whose threshold it is.</summary>
    private readonly int[] _distinctEnd = [];

    /// <summary>Per feature, its table of sets (TSet[] of the block's set width, row k at k × trees), or null.</summary>
    private readonly Array?[] _prefixSets = [];

    private static (float[] Distinct, int[] DistinctStart, int[] DistinctEnd) DistinctThresholds(float[] thresholds, int[] featureStart)
    {
        var (distinct, distinctEnd) = (new List<float>(), new List<int>());
        var distinctStart = new int[featureStart.Length];
        for (var f = 0; f + 1 < featureStart.Length; f++)
        {
            distinctStart[f] = distinct.Count;
            for (var i = featureStart[f]; i < featureStart[f + 1]; i++)
            {
                if (i > featureStart[f] && thresholds[i] == thresholds[i - 1])
                {
                    distinctEnd[^1] = i + 1;
                    continue;
                }
                distinct.Add(thresholds[i]);
                distinctEnd.Add(i + 1);
            }
        }
        distinctStart[^1] = distinct.Count;
        return ([.. distinct], distinctStart, [.. distinctEnd]);
    }

    private static Array?[] PrefixSets<TSet>(TSet[] initial, TSet[] masks, int[] branchTree, int[] featureStart, int[] distinctStart, int[] distinctEnd)
        where TSet : unmanaged, IBinaryInteger<TSet>
    {
        var trees = initial.Length;
        var tables = new Array?[featureStart.Length - 1];
        var budget = PrefixTablesBytes;
        for (var f = 0; f < tables.Length; f++)
        {
            var rows = distinctStart[f + 1] - distinctStart[f] + 1;
            var bytes = (long)rows * trees * Unsafe.SizeOf<TSet>();
            if (rows == 1 || bytes > PrefixTableBytes || bytes > budget)
            {
                continue;
            }
            budget -= (int)bytes;
            var table = new TSet[rows * trees];
            table.AsSpan(0, trees).Fill(TSet.AllBitsSet);
            var branch = featureStart[f];
            for (var k = 1; k < rows; k++)
            {
                table.AsSpan((k - 1) * trees, trees).CopyTo(table.AsSpan(k * trees, trees));
                for (; branch < distinctEnd[distinctStart[f] + k - 1]; branch++)
                {
                    table[(k * trees) + branchTree[branch]] &= masks[branch];
                }
            }
            tables[f] = table;
        }
        return tables;
    }

    /// <summary>
    /// For each row, how many of feature <paramref name="f"/>'s distinct thresholds are below its value (all of them
    /// for NaN). A branch-free binary search over four rows at once: one row's search waits on each load and
    /// mispredicts about every other step; four rows' searches overlap.
    /// </summary>
    private void CountDistinctBelow(int f, ReadOnlySpan<float> features, int stride, Span<int> below)
    {
        var (start, end) = (_distinctStart[f], _distinctStart[f + 1]);
        ref var thresholds = ref MemoryMarshal.GetArrayDataReference(_distinct);
        var count = below.Length;
        var row = 0;
        for (; row + 4 <= count; row += 4)
        {
            var (x0, x1, x2, x3) = (features[row * stride], features[(row + 1) * stride], features[(row + 2) * stride], features[(row + 3) * stride]);
            var (b0, b1, b2, b3) = (start, start, start, start);
            for (var n = end - start; n > 1; n -= n >> 1)
            {
                var half = n >> 1;
                b0 += Unsafe.Add(ref thresholds, b0 + half - 1) < x0 ? half : 0;
                b1 += Unsafe.Add(ref thresholds, b1 + half - 1) < x1 ? half : 0;
                b2 += Unsafe.Add(ref thresholds, b2 + half - 1) < x2 ? half : 0;
                b3 += Unsafe.Add(ref thresholds, b3 + half - 1) < x3 ? half : 0;
            }
            below[row] = Below(ref thresholds, start, end, b0, x0);
            below[row + 1] = Below(ref thresholds, start, end, b1, x1);
            below[row + 2] = Below(ref thresholds, start, end, b2, x2);
            below[row + 3] = Below(ref thresholds, start, end, b3, x3);
        }
        for (; row < count; row++)
        {
            // The last rows, fewer than four: the same search, one row at a time.
            var x = features[row * stride];
            below[row] = Below(ref thresholds, start, end, Search(ref thresholds, start, end, x), x);
        }
    }

    /// <summary>One row's branch-free search: the answer or the one before it (<see cref="Below"/> decides).</summary>
    private static int Search(ref float thresholds, int start, int end, float x)
    {
        var at = start;
        for (var n = end - start; n > 1; n -= n >> 1)
        {
            var half = n >> 1;
            at += Unsafe.Add(ref thresholds, at + half - 1) < x ? half : 0;
        }
        return at;
    }

    /// <summary>The search's last step: <paramref name="at"/> is the answer or the one before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Below(ref float thresholds, int start, int end, int at, float x) =>
        float.IsNaN(x) ? end - start : at - start + (Unsafe.Add(ref thresholds, at) < x ? 1 : 0);
}

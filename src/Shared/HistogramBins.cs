namespace MLOps.Shared;

/// <summary>
/// The training histogram's bin rule, used by the model card (counting training rows), the build's drift check and
/// the runtime drift monitor (counting live inputs): bins are <c>[edge_i, edge_i+1)</c>, values below the first edge
/// count in the first bin and values from the last inner edge up in the last, so values outside the training range
/// still count.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class HistogramBins
{
    /// <summary>
    /// The bins of a boolean feature (stored as 0/1): false below 0.5, true from it. Quantile edges of a 0/1 column
    /// collapse into one bin, which would make every PSI 0 whatever the data.
    /// </summary>
    public static readonly double[] BooleanEdges = [0, 0.5, 1];

    /// <summary>Quantile bins of a numeric column with many distinct values: equal shares of the training rows.</summary>
    public const int QuantileBins = 10;

    /// <summary>A column with at most this many distinct values gets one bin per value (0/1 flags, counts, ratings).</summary>
    public const int MaxValueBins = 20;

    /// <summary>
    /// The training histogram's edges for <paramref name="sorted"/> (ascending, no NaN, at least one value), chosen so
    /// that drift can be seen in every kind of numeric column:
    /// <list type="bullet">
    /// <item>at most <see cref="MaxValueBins"/> distinct values: one bin per value, split half-way between neighbours
    /// (a 0/1 column gets <c>[0, 0.5, 1]</c>, like <see cref="BooleanEdges"/>);</item>
    /// <item>more: <see cref="QuantileBins"/> quantile bins, where a value that fills a whole quantile on its own (the
    /// zeros of a zero-heavy column) keeps a bin of its own instead of merging its neighbours' edges away; a column
    /// with two or more distinct values never ends up in one bin.</item>
    /// </list>
    /// Quantile edges alone collapse such columns into one bin, where PSI is 0 whatever the data does.
    /// </summary>
    public static double[] Edges(ReadOnlySpan<double> sorted)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A histogram needs at least one value.", nameof(sorted));
        }
        var distinct = Distinct(sorted, out var runs);
        if (distinct.Count == 1)
        {
            return [distinct[0], distinct[0]];
        }
        var edges = new SortedSet<double> { distinct[0], distinct[distinct.Count - 1] };
        if (distinct.Count <= MaxValueBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++)
            {
                edges.Add(Between(distinct[i], distinct[i + 1]));
            }
            return [.. edges];
        }
        for (var b = 1; b < QuantileBins; b++)
        {
            edges.Add(sorted[(int)Math.Floor((double)b * sorted.Length / QuantileBins)]);
        }
        // A value holding a quantile's share of the rows gets a bin to itself: its start, and an edge before the next value.
        var heavy = (double)sorted.Length / QuantileBins;
        for (var i = 0; i < distinct.Count; i++)
        {
            if (runs[i] < heavy)
            {
                continue;
            }
            if (i > 0)
            {
                edges.Add(i + 1 < distinct.Count ? distinct[i] : Between(distinct[i - 1], distinct[i]));
            }
            if (i + 1 < distinct.Count)
            {
                edges.Add(Between(distinct[i], distinct[i + 1]));
            }
        }
        return [.. edges];
    }

    /// <summary>An edge strictly above <paramref name="low"/> and at most <paramref name="high"/>: half-way where doubles allow.</summary>
    private static double Between(double low, double high)
    {
        var middle = low + (high - low) / 2;
        return middle > low && middle <= high ? middle : high;
    }

    private static List<double> Distinct(ReadOnlySpan<double> sorted, out List<int> runs)
    {
        var values = new List<double>();
        runs = [];
        foreach (var value in sorted)
        {
            if (values.Count > 0 && values[values.Count - 1] == value)
            {
                runs[runs.Count - 1]++;
            }
            else
            {
                values.Add(value);
                runs.Add(1);
            }
        }
        return values;
    }

    /// <summary>Bins of a histogram with these edges (one fewer than the edges, at least one).</summary>
    public static int Count(ReadOnlySpan<double> edges) => Math.Max(1, edges.Length - 1);

    /// <summary>The bin <paramref name="value"/> falls in.</summary>
    public static int IndexOf(double value, ReadOnlySpan<double> edges)
    {
        // The inner edges edges[1..bins-1] split the line; the bin is how many of them are ≤ value.
        int lo = 1, hi = Count(edges) - 1, bin = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (edges[mid] <= value)
            {
                bin = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return bin;
    }
}

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

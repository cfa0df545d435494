using MLOps.Shared;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// One input's training distribution, as the generated class knows it from the model card: quantile bins of a
/// number, or the categories of a string. The drift monitor counts live inputs into the same bins.
/// </summary>
public sealed class DriftReference
{
    private readonly double[]? _edges;

    private DriftReference(double[]? edges, string[]? categories, long[] counts)
    {
        _edges = edges;
        Edges = edges;
        Categories = categories;
        TrainingCounts = counts;
    }

    /// <summary>Bin edges of a numeric input: bins <c>[edge_i, edge_i+1)</c>, the ends open to all values.</summary>
    public IReadOnlyList<double>? Edges { get; }

    /// <summary>Categories of a string input; any other value counts in one extra "unseen" bin.</summary>
    public IReadOnlyList<string>? Categories { get; }

    /// <summary>Training rows per bin (for categories, plus a final 0 for "unseen").</summary>
    public IReadOnlyList<long> TrainingCounts { get; }

    /// <summary>Bins of the live distribution.</summary>
    public int BinCount => TrainingCounts.Count;

    /// <summary>A numeric input's quantile bins.</summary>
    public static DriftReference Numeric(double[] edges, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        if (edges.Length != counts.Length + 1)
        {
            throw new ArgumentException("A histogram has one more edge than bins.", nameof(edges));
        }
        return new DriftReference(edges, null, counts);
    }

    /// <summary>A string input's categories and their training counts.</summary>
    public static DriftReference Categorical(string[] categories, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(counts);
        if (categories.Length != counts.Length)
        {
            throw new ArgumentException("Every category needs its count.", nameof(counts));
        }
        return new DriftReference(null, categories, [.. counts, 0]);
    }

    /// <summary>The bin of a number: the rule the build used for the training histogram (<see cref="HistogramBins"/>).</summary>
    public int BinOf(double value) => HistogramBins.IndexOf(value, _edges);
}

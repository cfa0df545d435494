using MathNet.Numerics;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Drift;

/// <summary>
/// The drift statistics, as pure functions over sorted samples or counts. Definitions follow the usual references
/// (scipy.stats, Evidently) so that values can be checked against them; the tests do.
/// </summary>
public static class DriftMath
{
    /// <summary>
    /// Population stability index over bins, from counts (the one rule the runtime drift monitor applies too:
    /// <c>PopulationStability</c>); empty bins count as <c>PopulationStability.ShareFloor</c>.
    /// </summary>
    public static double PopulationStabilityIndex(ReadOnlySpan<long> expectedCounts, ReadOnlySpan<long> actualCounts) =>
        PopulationStability.Index(expectedCounts, actualCounts);

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov: D = sup |F₁ − F₂| over the empirical distribution functions, and the
    /// asymptotic p-value Q_KS(√(nm/(n+m))·D) (scipy's <c>kstwobign.sf</c>).
    /// </summary>
    public static (double Statistic, double PValue) KolmogorovSmirnov(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        int n = sortedReference.Length, m = sortedCurrent.Length;
        if (n == 0 || m == 0)
        {
            return (double.NaN, double.NaN);
        }
        int i = 0, j = 0;
        var d = 0.0;
        while (i < n && j < m)
        {
            // Step past every copy of the smaller value in both samples before comparing: ties move together.
            var x = Math.Min(sortedReference[i], sortedCurrent[j]);
            while (i < n && sortedReference[i] == x)
            {
                i++;
            }
            while (j < m && sortedCurrent[j] == x)
            {
                j++;
            }
            d = Math.Max(d, Math.Abs((double)i / n - (double)j / m));
        }
        var effective = (double)n * m / (n + m);
        return (d, KolmogorovSurvival(Math.Sqrt(effective) * d));
    }

    /// <summary>
    /// P(K &gt; λ) of the Kolmogorov distribution. MathNet.Numerics has no Kolmogorov distribution; these are the two
    /// classical series (Numerical Recipes §14.3.3), each used where it converges in a few terms.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1;
        }
        if (lambda < 1.18)
        {
            // 1 − √(2π)/λ · Σ exp(−(2k−1)²π²/(8λ²))
            var y = Math.Exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            var sum = 0.0;
            for (var k = 1; k <= 20; k += 2)
            {
                sum += Math.Pow(y, k * k);
            }
            return Math.Clamp(1 - Math.Sqrt(2 * Math.PI) / lambda * sum, 0, 1);
        }
        // 2 Σ (−1)^(k−1) exp(−2k²λ²)
        var q = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            q += (k % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-17)
            {
                break;
            }
        }
        return Math.Clamp(q, 0, 1);
    }

    /// <summary>
    /// First Wasserstein (earth mover's) distance ∫|F₁ − F₂| dx between the empirical distributions (scipy's
    /// <c>wasserstein_distance</c>), divided by the reference's standard deviation (floored at 0.001) so that
    /// one threshold fits every feature's scale, as Evidently's normed distance does.
    /// </summary>
    public static double NormalizedWasserstein(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double referenceStd) =>
        Wasserstein(sortedReference, sortedCurrent) / Math.Max(referenceStd, 0.001);

    public static double Wasserstein(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        int n = sortedReference.Length, m = sortedCurrent.Length;
        if (n == 0 || m == 0)
        {
            return double.NaN;
        }
        int i = 0, j = 0;
        var distance = 0.0;
        var previous = Math.Min(sortedReference[0], sortedCurrent[0]);
        while (i < n || j < m)
        {
            var x = j >= m || (i < n && sortedReference[i] <= sortedCurrent[j]) ? sortedReference[i] : sortedCurrent[j];
            distance += Math.Abs((double)i / n - (double)j / m) * (x - previous);
            while (i < n && sortedReference[i] == x)
            {
                i++;
            }
            while (j < m && sortedCurrent[j] == x)
            {
                j++;
            }
            previous = x;
        }
        return distance;
    }

    /// <summary>
    /// Pearson's chi-square test of homogeneity on the 2×k table of reference and current counts (scipy's
    /// <c>chi2_contingency</c> without continuity correction); categories empty in both are dropped. The p-value is
    /// the chi-square survival function, MathNet's regularized upper incomplete gamma Q(df/2, χ²/2).
    /// </summary>
    public static (double Statistic, int DegreesOfFreedom, double PValue) ChiSquareHomogeneity(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        if (!Totals(reference, current, out var n1, out var n2))
        {
            return (double.NaN, 0, double.NaN);
        }
        var total = n1 + n2;
        var chi = 0.0;
        var categories = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            double column = reference[i] + current[i];
            if (column == 0)
            {
                continue;
            }
            categories++;
            var expected1 = n1 * column / total;
            var expected2 = n2 * column / total;
            chi += (reference[i] - expected1) * (reference[i] - expected1) / expected1
                 + (current[i] - expected2) * (current[i] - expected2) / expected2;
        }
        var df = categories - 1;
        return df <= 0 ? (0, 0, 1) : (chi, df, SpecialFunctions.GammaUpperRegularized(df / 2.0, chi / 2));
    }

    /// <summary>
    /// Jensen–Shannon distance √JSD between the two count distributions with natural logarithms (scipy's
    /// <c>spatial.distance.jensenshannon</c>): 0 for equal distributions, √ln 2 ≈ 0.833 for disjoint ones.
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        if (!Totals(reference, current, out var n1, out var n2))
        {
            return double.NaN;
        }
        var divergence = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            double p = reference[i] / n1, q = current[i] / n2, mid = (p + q) / 2;
            if (p > 0)
            {
                divergence += 0.5 * p * Math.Log(p / mid);
            }
            if (q > 0)
            {
                divergence += 0.5 * q * Math.Log(q / mid);
            }
        }
        return Math.Sqrt(Math.Max(divergence, 0));
    }

    /// <summary>L-infinity distance: the largest difference between a category's shares.</summary>
    public static double LInfinity(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        if (!Totals(reference, current, out var n1, out var n2))
        {
            return double.NaN;
        }
        var largest = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(reference[i] / n1 - current[i] / n2));
        }
        return largest;
    }

    /// <summary>Counts of values in the bins of a training histogram, by the shared <c>HistogramBins</c> rule.</summary>
    public static long[] Bin(ReadOnlySpan<double> values, IReadOnlyList<double> edges)
    {
        var edgeArray = edges as double[] ?? [.. edges];
        var counts = new long[HistogramBins.Count(edgeArray)];
        foreach (var value in values)
        {
            counts[HistogramBins.IndexOf(value, edgeArray)]++;
        }
        return counts;
    }

    /// <summary>Both samples' sizes; false when either is empty, where no statistic is defined.</summary>
    private static bool Totals(ReadOnlySpan<long> reference, ReadOnlySpan<long> current, out double referenceTotal, out double currentTotal)
    {
        (referenceTotal, currentTotal) = (Sum(reference), Sum(current));
        return referenceTotal > 0 && currentTotal > 0;
    }

    private static double Sum(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }
        return total;
    }
}

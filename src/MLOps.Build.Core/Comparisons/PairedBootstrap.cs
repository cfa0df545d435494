namespace MLOps.Build.Comparisons;

/// <summary>How a metric is made from per-row values: their mean (accuracy, log-loss, absolute error) or the root of it (RMSE from squared errors).</summary>
public enum RowMetric
{
    Mean,
    RootMean,
}

/// <summary>A two-sided percentile interval of a difference, and whether it tells the difference from zero.</summary>
public readonly record struct DifferenceInterval(double Difference, double Lower, double Upper, double Level)
{
    /// <summary>The interval excludes zero: the difference is more than resampling noise at <see cref="Level"/>.</summary>
    public bool IsSignificant => Lower > 0 || Upper < 0;
}

/// <summary>
/// The paired bootstrap of a metric's difference between two models scored on the same test rows (Efron and
/// Tibshirani, ch. 13; Koehn 2004 for model comparisons): each resample draws the rows with replacement and both
/// models are measured on the same draw, so what the rows have in common cancels and only the models' difference
/// varies. Reproducible: the draws come from a seed, not the clock.
/// </summary>
public static class PairedBootstrap
{
    public const int DefaultResamples = 2000;

    /// <param name="baseline">Per-row values of the accepted model (1/0 for a correct label, a row's loss or squared error).</param>
    /// <param name="candidate">The same rows' values of the new model, in the same order.</param>
    /// <param name="level">The interval's coverage, e.g. 0.95.</param>
    public static DifferenceInterval Interval(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, RowMetric metric,
        double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        if (baseline.Count != candidate.Count)
        {
            throw new ArgumentException($"The models were scored on different rows ({baseline.Count} and {candidate.Count}).", nameof(candidate));
        }
        if (baseline.Count == 0 || resamples < 1 || level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), "A bootstrap needs rows, at least one resample and a level strictly between 0 and 1.");
        }
        var rows = baseline.Count;
        var random = new Random(seed);
        var differences = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sumBaseline = 0, sumCandidate = 0;
            for (var i = 0; i < rows; i++)
            {
                var row = random.Next(rows);
                sumBaseline += baseline[row];
                sumCandidate += candidate[row];
            }
            differences[r] = Metric(sumCandidate / rows, metric) - Metric(sumBaseline / rows, metric);
        }
        Array.Sort(differences);
        var tail = (1 - level) / 2;
        return new DifferenceInterval(
            Metric(candidate.Sum() / rows, metric) - Metric(baseline.Sum() / rows, metric),
            Quantile(differences, tail), Quantile(differences, 1 - tail), level);
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolated between neighbours (Hyndman and Fan's type 7, R's and NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double Metric(double mean, RowMetric metric) => metric == RowMetric.RootMean ? Math.Sqrt(mean) : mean;
}

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

    /// <summary>Row draws (rows × resamples) a comparison spends at most, so a big test set costs seconds, not minutes.</summary>
    public const long DrawBudget = 20_000_000;

    /// <summary>The fewest resamples taken however many rows there are: enough for the 2.5 % tails of a 95 % interval.</summary>
    public const int MinimumResamples = 200;

    /// <summary><see cref="DefaultResamples"/>, fewer on a test set so big that they would exceed <see cref="DrawBudget"/>.</summary>
    public static int ResamplesFor(int rows) => (int)Math.Max(MinimumResamples, Math.Min(DefaultResamples, DrawBudget / Math.Max(1, rows)));

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
        ResampledMetric Of(IReadOnlyList<double> values) => metric == RowMetric.RootMean ? ResampledMetric.RootMean([.. values]) : ResampledMetric.Mean([.. values]);
        return Intervals([(Of(baseline), Of(candidate))], baseline.Count, level, resamples, seed)[0]!.Value;
    }

    /// <summary>
    /// The intervals of several metrics' differences from the same resamples (one draw of the rows serves every metric).
    /// A metric undefined on the test set itself has no interval (null); resamples on which it is undefined (AUC
    /// without one of the classes) are left out of its quantiles.
    /// </summary>
    public static DifferenceInterval?[] Intervals(IReadOnlyList<(ResampledMetric Baseline, ResampledMetric Candidate)> metrics, int rows,
        double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        if (rows == 0 || resamples < 1 || level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), "A bootstrap needs rows, at least one resample and a level strictly between 0 and 1.");
        }
        var weights = new int[rows];
        var differences = metrics.Select(_ => new List<double>(resamples)).ToArray();
        var random = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            Array.Clear(weights, 0, rows);
            for (var i = 0; i < rows; i++)
            {
                weights[random.Next(rows)]++;
            }
            for (var m = 0; m < metrics.Count; m++)
            {
                var difference = metrics[m].Candidate.Value(weights) - metrics[m].Baseline.Value(weights);
                if (!double.IsNaN(difference))
                {
                    differences[m].Add(difference);
                }
            }
        }
        var all = Enumerable.Repeat(1, rows).ToArray();
        var tail = (1 - level) / 2;
        return metrics.Select((pair, m) =>
        {
            var observed = pair.Candidate.Value(all) - pair.Baseline.Value(all);
            if (double.IsNaN(observed) || differences[m].Count == 0)
            {
                return (DifferenceInterval?)null;
            }
            differences[m].Sort();
            return new DifferenceInterval(observed, Quantile(differences[m], tail), Quantile(differences[m], 1 - tail), level);
        }).ToArray();
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolated between neighbours (Hyndman and Fan's type 7, R's and NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

using MLOps.Build.Comparisons;

namespace MLOps.Build.Tests.Comparisons;

/// <summary>The paired bootstrap against the exact bootstrap distribution, enumerated by brute force on a few rows.</summary>
public sealed class PairedBootstrapTests
{
    /// <summary>Every one of the rows^rows equally likely resamples, and the metric difference on each.</summary>
    private static double[] ExactDifferences(double[] baseline, double[] candidate, RowMetric metric)
    {
        var rows = baseline.Length;
        var total = (int)Math.Pow(rows, rows);
        var differences = new double[total];
        for (var code = 0; code < total; code++)
        {
            double a = 0, b = 0;
            for (int i = 0, rest = code; i < rows; i++, rest /= rows)
            {
                a += baseline[rest % rows];
                b += candidate[rest % rows];
            }
            differences[code] = Root(b / rows, metric) - Root(a / rows, metric);
        }
        Array.Sort(differences);
        return differences;
    }

    private static double Root(double mean, RowMetric metric) => metric == RowMetric.RootMean ? Math.Sqrt(mean) : mean;

    [Theory]
    [InlineData(RowMetric.Mean, new[] { 1.0, 0, 1, 1, 0, 1 }, new[] { 1.0, 1, 1, 0, 1, 1 })]
    [InlineData(RowMetric.Mean, new[] { 0.2, 0.9, 0.4, 1.3, 0.1, 0.7 }, new[] { 0.1, 0.8, 0.6, 0.9, 0.1, 0.2 })]
    [InlineData(RowMetric.RootMean, new[] { 4.0, 1, 9, 0.25, 2, 16 }, new[] { 1.0, 1, 4, 0.5, 3, 9 })]
    public void The_interval_matches_the_exact_bootstrap_quantiles_of_a_brute_force_enumeration(RowMetric metric, double[] baseline, double[] candidate)
    {
        var exact = ExactDifferences(baseline, candidate, metric);
        var range = exact[^1] - exact[0];

        var interval = PairedBootstrap.Interval(baseline, candidate, metric, level: 0.9, resamples: 40_000, seed: 7);

        Assert.Equal(Root(candidate.Average(), metric) - Root(baseline.Average(), metric), interval.Difference, 12);
        Assert.InRange(interval.Lower - PairedBootstrap.Quantile(exact, 0.05), -0.03 * range, 0.03 * range);
        Assert.InRange(interval.Upper - PairedBootstrap.Quantile(exact, 0.95), -0.03 * range, 0.03 * range);
    }

    [Fact]
    public void Pure_noise_is_not_significant_and_a_real_regression_is()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 500).Select(_ => random.NextDouble() < 0.8 ? 1.0 : 0.0).ToArray();
        // Two models right on the same 80 % of rows, each wrong on a few others of its own: noise.
        var a = truth.Select(v => random.NextDouble() < 0.03 ? 1 - v : v).ToArray();
        var b = truth.Select(v => random.NextDouble() < 0.03 ? 1 - v : v).ToArray();
        // A model wrong on a further 10 % of rows: a regression.
        var worse = a.Select(v => v == 1 && random.NextDouble() < 0.12 ? 0.0 : v).ToArray();

        Assert.False(PairedBootstrap.Interval(a, b, RowMetric.Mean).IsSignificant);
        var regression = PairedBootstrap.Interval(a, worse, RowMetric.Mean);
        Assert.True(regression.IsSignificant);
        Assert.True(regression.Upper < 0, $"{regression}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_mismatched_rows_are_refused()
    {
        double[] a = [1, 0, 1, 1, 0, 1, 1, 1];
        double[] b = [1, 1, 1, 0, 1, 1, 1, 1];

        Assert.Equal(PairedBootstrap.Interval(a, b, RowMetric.Mean, seed: 5), PairedBootstrap.Interval(a, b, RowMetric.Mean, seed: 5));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Interval(a, b[..7], RowMetric.Mean));
    }
}

using MLOps.Build.Comparisons;

namespace MLOps.Build.Tests.Comparisons;

/// <summary>A resample's weights are row multiplicities: every metric on weights equals the metric on the rows repeated that often.</summary>
public sealed class ResampledMetricTests
{
    private const int Rows = 40;

    private static int[] RandomWeights(Random random) => Enumerable.Range(0, Rows).Select(_ => random.Next(4)).ToArray();

    private static T[] Expand<T>(T[] values, int[] weights) => values.SelectMany((v, i) => Enumerable.Repeat(v, weights[i])).ToArray();

    private static int[] Ones(int count) => Enumerable.Repeat(1, count).ToArray();

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_metric_on_weights_equals_the_metric_on_the_rows_repeated(int seed)
    {
        var random = new Random(seed);
        var weights = RandomWeights(random);
        var flags = Enumerable.Range(0, Rows).Select(_ => random.Next(2) == 1).ToArray();
        var predictedFlags = flags.Select(f => random.NextDouble() < 0.8 ? f : !f).ToArray();
        // Scores on a coarse grid, so that ties occur.
        var scores = Enumerable.Range(0, Rows).Select(_ => (float)random.Next(10)).ToArray();
        var probabilities = Enumerable.Range(0, Rows).Select(_ => (float)random.NextDouble()).ToArray();
        var classes = Enumerable.Range(0, Rows).Select(_ => random.Next(3)).ToArray();
        var predictedClasses = classes.Select(c => random.NextDouble() < 0.7 ? c : random.Next(3)).ToArray();
        var labelProbabilities = Enumerable.Range(0, Rows).Select(_ => random.NextDouble()).ToArray();
        var values = Enumerable.Range(0, Rows).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var predictions = values.Select(v => v + (float)(random.NextDouble() - 0.5)).ToArray();

        var pairs = new List<(ScoredRows Weighted, ScoredRows Expanded, string[] Metrics)>
        {
            (new BinaryScoredRows(flags, predictedFlags, scores, probabilities),
             new BinaryScoredRows(Expand(flags, weights), Expand(predictedFlags, weights), Expand(scores, weights), Expand(probabilities, weights)),
             ["Accuracy", "AreaUnderRocCurve", "F1Score", "PositivePrecision", "PositiveRecall", "NegativePrecision", "NegativeRecall", "LogLoss", "LogLossReduction"]),
            (new MulticlassScoredRows(classes, predictedClasses, labelProbabilities, 3),
             new MulticlassScoredRows(Expand(classes, weights), Expand(predictedClasses, weights), Expand(labelProbabilities, weights), 3),
             ["MicroAccuracy", "MacroAccuracy", "LogLoss", "LogLossReduction"]),
            (new RegressionScoredRows(values, predictions),
             new RegressionScoredRows(Expand(values, weights), Expand(predictions, weights)),
             ["MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError", "RSquared", "LossFunction"]),
        };
        foreach (var (weighted, expanded, metrics) in pairs)
        {
            foreach (var name in metrics)
            {
                Assert.Equal(expanded.Metric(name)!.Value(Ones(expanded.Count)), weighted.Metric(name)!.Value(weights), 10);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AUC_is_the_share_of_positive_negative_pairs_ranked_right_with_ties_counted_half(int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, Rows).Select(_ => random.Next(2) == 1).ToArray();
        var scores = Enumerable.Range(0, Rows).Select(_ => (float)random.Next(8)).ToArray();
        double pairs = 0, right = 0;
        for (var p = 0; p < Rows; p++)
        {
            for (var n = 0; n < Rows; n++)
            {
                if (labels[p] && !labels[n])
                {
                    pairs++;
                    right += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(right / pairs, new AreaUnderRocCurve(labels, scores).Value(Ones(Rows)), 12);
    }

    [Fact]
    public void Metrics_without_a_resampled_form_are_null()
    {
        var rows = new BinaryScoredRows([true, false], [true, false], [1, 0], probabilities: null);

        Assert.Null(rows.Metric("AreaUnderPrecisionRecallCurve"));
        Assert.Null(rows.Metric("Entropy"));
        Assert.Null(rows.Metric("LogLoss"));
    }

    [Fact]
    public void Resamples_on_which_a_metric_is_undefined_are_left_out_and_a_metric_undefined_on_the_test_set_has_no_interval()
    {
        // Two rows, one of each class: a quarter of the resamples hold only positives, another quarter only negatives.
        var auc = new AreaUnderRocCurve([true, false], [1, 0]);
        var undefined = new AreaUnderRocCurve([true, true], [1, 0]);

        var intervals = PairedBootstrap.Intervals([(auc, auc), (undefined, undefined)], rows: 2, resamples: 100, seed: 3);

        Assert.Equal(new DifferenceInterval(0, 0, 0, 0.95), intervals[0]);
        Assert.Null(intervals[1]);
    }

    [Theory]
    [InlineData(100, 2000)]
    [InlineData(10_000, 2000)]
    [InlineData(100_000, 200)]
    [InlineData(50_000_000, 200)]
    public void Big_test_sets_take_fewer_resamples_but_never_fewer_than_the_minimum(int rows, int resamples) =>
        Assert.Equal(resamples, PairedBootstrap.ResamplesFor(rows));
}

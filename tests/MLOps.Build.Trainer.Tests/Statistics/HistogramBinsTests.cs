using CsCheck;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Tests.Statistics;

/// <summary>The shared bin rule (src/Shared/HistogramBins.cs) that the card, the build's drift check and the runtime monitor use.</summary>
public sealed class HistogramBinsTests
{
    [Fact]
    public void A_0_1_column_gets_the_boolean_bins()
    {
        Assert.Equal(HistogramBins.BooleanEdges, HistogramBins.Edges([0, 0, 0, 1, 1]));
    }

    [Fact]
    public void A_column_of_few_values_gets_a_bin_per_value()
    {
        var edges = HistogramBins.Edges([1, 1, 2, 3, 3, 3, 5]);

        Assert.Equal([1, 1.5, 2.5, 4, 5], edges);
        Assert.Equal([0, 1, 2, 3], new double[] { 1, 2, 3, 5 }.Select(v => HistogramBins.IndexOf(v, edges)));
    }

    [Fact]
    public void The_zeros_of_a_zero_heavy_column_keep_a_bin_of_their_own()
    {
        var values = Enumerable.Repeat(0.0, 800).Concat(Enumerable.Range(1, 200).Select(i => i * 0.5)).ToArray();

        var edges = HistogramBins.Edges(values);

        Assert.Equal(0, HistogramBins.IndexOf(0, edges));
        Assert.NotEqual(0, HistogramBins.IndexOf(0.5, edges));
        Assert.True(HistogramBins.Count(edges) >= 3, string.Join(", ", edges));
    }

    [Fact]
    public void A_heavy_maximum_keeps_a_bin_of_its_own()
    {
        var values = Enumerable.Range(0, 100).Select(i => i * 0.1).Concat(Enumerable.Repeat(100.0, 400)).ToArray();

        var edges = HistogramBins.Edges(values);

        Assert.Equal(100, edges[^1]);
        Assert.NotEqual(HistogramBins.IndexOf(9.9, edges), HistogramBins.IndexOf(100, edges));
    }

    [Fact]
    public void Any_column_of_two_or_more_values_has_two_or_more_bins_and_edges_that_rise()
    {
        Gen.Double[-1e6, 1e6].Select(v => Math.Round(v, 1)).Array[1, 400]
            .Select(a => a.Concat(a.Take(a.Length / 2).Select(_ => a[0])).Order().ToArray())
            .Sample(sorted =>
            {
                var edges = HistogramBins.Edges(sorted);
                var distinct = sorted.Distinct().Count();
                Assert.Equal(sorted[0], edges[0]);
                Assert.Equal(sorted[^1], edges[^1]);
                Assert.True(distinct == 1 || HistogramBins.Count(edges) >= 2);
                Assert.True(distinct > HistogramBins.MaxValueBins || HistogramBins.Count(edges) == distinct || distinct == 1);
                for (var i = 1; i < edges.Length; i++)
                {
                    Assert.True(edges[i] > edges[i - 1] || distinct == 1);
                }
            }, iter: 500);
    }
}

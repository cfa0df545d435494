using MLOps.Build.Trainer.Drift;

namespace MLOps.Build.Trainer.Tests.Drift;

/// <summary>
/// Every statistic against values computed independently: by hand where the case is small, otherwise with
/// scipy 1.10.1 (<c>ks_2samp</c>, <c>kstwobign.sf</c>, <c>wasserstein_distance</c>, <c>chi2_contingency(correction=False)</c>,
/// <c>spatial.distance.jensenshannon</c>); the calls are quoted beside each value.
/// </summary>
public sealed class DriftMathTests
{
    private static readonly double[] OneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    private static readonly double[] ShiftedTwelve = [3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5];

    [Fact]
    public void Psi_matches_the_hand_computed_value()
    {
        // Ten equal bins; the current data moves 5 % from each of the two lowest bins into the two highest:
        // 2·(0.05 − 0.1)·ln(0.5) + 2·(0.15 − 0.1)·ln(1.5) = 0.1·ln 2 + 0.1·ln 1.5 = 0.109861228866811.
        long[] expected = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
        long[] actual = [5, 5, 10, 10, 10, 10, 10, 10, 15, 15];
        Assert.Equal(0.1 * Math.Log(2) + 0.1 * Math.Log(1.5), DriftMath.PopulationStabilityIndex(expected, actual), 12);
        Assert.Equal(0, DriftMath.PopulationStabilityIndex(expected, expected), 12);
    }

    [Fact]
    public void Psi_floors_empty_bins_instead_of_going_infinite()
    {
        // Shares 1/0 against 0.5/0.5, the empty bin floored at 1e-4:
        // (0.5 − 1)·ln(0.5 / 1) + (0.5 − 1e-4)·ln(0.5 / 1e-4) = 0.5·ln 2 + 0.4999·ln 5000 = 4.604318
        var psi = DriftMath.PopulationStabilityIndex([10, 0], [5, 5]);
        Assert.Equal(0.5 * Math.Log(2) + 0.4999 * Math.Log(5000), psi, 12);
        Assert.True(double.IsFinite(psi));
    }

    [Fact]
    public void Ks_statistic_and_asymptotic_p_value_match_scipy()
    {
        var (d, p) = DriftMath.KolmogorovSmirnov(OneToTen, ShiftedTwelve);
        Assert.Equal(0.4166666666666667, d, 12); // ks_2samp(a, b).statistic; by hand: at x = 5, F₁ = 5/10, F₂ = 1/12 … max 5/12
        Assert.Equal(0.2999303117542793, p, 10); // kstwobign.sf(sqrt(10·12/22)·D)
    }

    [Fact]
    public void Ks_moves_ties_together()
    {
        double[] c = [1, 1, 2, 2, 2, 3, 5, 5];
        double[] d = [1, 2, 2, 3, 3, 3, 4, 6, 6];
        Assert.Equal(0.2916666666666667, DriftMath.KolmogorovSmirnov(c, d).Statistic, 12); // ks_2samp(c, d).statistic
        Assert.Equal(0, DriftMath.KolmogorovSmirnov(c, c).Statistic);
        Assert.Equal(1, DriftMath.KolmogorovSmirnov(c, c).PValue);
    }

    [Theory]
    [InlineData(0.3, 0.9999906941986655)]
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(0.8, 0.5441424115741981)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(1.17, 0.12939004218561884)]
    [InlineData(1.19, 0.11774229287977166)]
    [InlineData(1.5, 0.022217962616525127)]
    [InlineData(2.0, 0.0006709252557796953)]
    [InlineData(3.0, 3.045995948942526e-08)]
    public void Kolmogorov_survival_matches_scipy_kstwobign_on_both_series(double lambda, double expected) =>
        Assert.Equal(expected, DriftMath.KolmogorovSurvival(lambda), expected * 1e-9 + 1e-15);

    [Fact]
    public void Wasserstein_matches_scipy_and_is_normalized_by_the_reference_std()
    {
        Assert.Equal(3.5, DriftMath.Wasserstein(OneToTen, ShiftedTwelve), 12); // wasserstein_distance(a, b)
        Assert.Equal(0.7638888888888888, DriftMath.Wasserstein([1, 1, 2, 2, 2, 3, 5, 5], [1, 2, 2, 3, 3, 3, 4, 6, 6]), 12);
        // A shift of every value by h moves the distribution by exactly h.
        Assert.Equal(2.5, DriftMath.Wasserstein(OneToTen, OneToTen.Select(v => v + 2.5).ToArray()), 12);
        Assert.Equal(3.5 / 3.0276503540974917, DriftMath.NormalizedWasserstein(OneToTen, ShiftedTwelve, 3.0276503540974917), 12);
        Assert.Equal(3.5 / 0.001, DriftMath.NormalizedWasserstein(OneToTen, ShiftedTwelve, 0), 6);
    }

    [Fact]
    public void Chi_square_homogeneity_matches_the_hand_computed_table()
    {
        // Reference 50/30/20, current 30/30/40: expected 40/30/30 in both rows;
        // χ² = 2·(10²/40 + 0 + 10²/30) = 11.6667, df 2, p = exp(−χ²/2) = 0.0029283 (chi2_contingency(correction=False)).
        var (chi, df, p) = DriftMath.ChiSquareHomogeneity([50, 30, 20], [30, 30, 40]);
        Assert.Equal(11.666666666666668, chi, 10);
        Assert.Equal(2, df);
        Assert.Equal(Math.Exp(-chi / 2), p, 12);
        Assert.Equal(0.0029282996948181853, p, 12);
    }

    [Fact]
    public void Chi_square_of_identical_shares_is_zero_and_a_single_category_cannot_drift()
    {
        var (chi, _, p) = DriftMath.ChiSquareHomogeneity([20, 40], [10, 20]);
        Assert.Equal(0, chi, 12);
        Assert.Equal(1, p, 12);
        Assert.Equal(1, DriftMath.ChiSquareHomogeneity([5, 0], [7, 0]).PValue);
    }

    [Fact]
    public void Jensen_shannon_and_l_infinity_match_scipy_and_hand_values()
    {
        Assert.Equal(0.1721147310381218, DriftMath.JensenShannon([50, 30, 20], [30, 30, 40]), 12); // jensenshannon([.5,.3,.2],[.3,.3,.4])
        Assert.Equal(Math.Sqrt(Math.Log(2)), DriftMath.JensenShannon([1, 0], [0, 1]), 12); // disjoint: √ln 2 = 0.83255
        Assert.Equal(0, DriftMath.JensenShannon([3, 7], [30, 70]), 12);
        Assert.Equal(0.2, DriftMath.LInfinity([50, 30, 20], [30, 30, 40]), 12); // max(|.5−.3|, 0, |.2−.4|)
    }

    [Fact]
    public void Bins_match_the_model_cards_histogram_rule()
    {
        // Bins [0,1) [1,2) [2,3]; outside values fall into the end bins so that current data always counts.
        double[] edges = [0, 1, 2, 3];
        Assert.Equal([2, 1, 3], DriftMath.Bin([-5, 0.5, 1, 2, 3, 7], edges));
        Assert.Equal(0, MLOps.Shared.HistogramBins.IndexOf(0.999, edges));
        Assert.Equal(2, MLOps.Shared.HistogramBins.IndexOf(2, edges));
        Assert.Equal([3], DriftMath.Bin([1, 2, 3], [1, 3]));
    }

    [Fact]
    public void Empty_samples_give_no_statistic()
    {
        Assert.True(double.IsNaN(DriftMath.KolmogorovSmirnov([], OneToTen).Statistic));
        Assert.True(double.IsNaN(DriftMath.Wasserstein(OneToTen, [])));
        Assert.True(double.IsNaN(DriftMath.JensenShannon([0, 0], [1, 2])));
        Assert.True(double.IsNaN(DriftMath.PopulationStabilityIndex([0, 0], [1, 2])));
    }
}

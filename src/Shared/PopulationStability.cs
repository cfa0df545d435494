namespace MLOps.Shared;

/// <summary>
/// The population stability index Σ (a − e)·ln(a / e) over bins, from two count vectors turned into shares. Used by
/// the build's drift check (training data against current data) and the runtime drift monitor (training data
/// against what the app scored), which must agree.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class PopulationStability
{
    /// <summary>Shares of zero would make PSI infinite; this is the share they count as (Evidently's choice).</summary>
    public const double ShareFloor = 1e-4;

    /// <summary>PSI of <paramref name="actualCounts"/> against <paramref name="expectedCounts"/>; NaN when either is empty.</summary>
    public static double Index(ReadOnlySpan<long> expectedCounts, ReadOnlySpan<long> actualCounts)
    {
        if (expectedCounts.Length != actualCounts.Length)
        {
            throw new ArgumentException("Both distributions need the same bins.", nameof(actualCounts));
        }
        double expectedTotal = 0, actualTotal = 0;
        for (var i = 0; i < expectedCounts.Length; i++)
        {
            expectedTotal += expectedCounts[i];
            actualTotal += actualCounts[i];
        }
        if (expectedTotal == 0 || actualTotal == 0)
        {
            return double.NaN;
        }
        var psi = 0.0;
        for (var i = 0; i < expectedCounts.Length; i++)
        {
            var e = Math.Max(expectedCounts[i] / expectedTotal, ShareFloor);
            var a = Math.Max(actualCounts[i] / actualTotal, ShareFloor);
            psi += (a - e) * Math.Log(a / e);
        }
        return psi;
    }
}

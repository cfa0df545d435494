using MLOps.Build.Artifacts;
using MLOps.Build.Drift;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Drift;

/// <summary>How one feature is judged: the concrete method and its threshold.</summary>
public sealed record FeatureDriftSettings(string Method, double Threshold);

/// <summary>Every statistic for one feature, and the verdict of the chosen method.</summary>
public static class FeatureDriftCalculator
{
    /// <summary>Every feature at once, in parallel (sorting dominates, one feature per core).</summary>
    public static FeatureDriftCard[] CompareAll(IReadOnlyList<FeatureSample> references, IReadOnlyList<FeatureColumn> current,
        IReadOnlyList<IReadOnlyList<double>?> binEdges, IReadOnlyList<FeatureDriftSettings> settings, IReadOnlyList<ReportLocation> locations)
    {
        var cards = new FeatureDriftCard[references.Count];
        Parallel.For(0, cards.Length, i =>
            cards[i] = Compare(references[i], FeatureSample.From(current[i]), binEdges[i], settings[i], locations[i]));
        return cards;
    }

    /// <param name="binEdges">The training quantile bin edges from the model card (numeric PSI); null: none.</param>
    public static FeatureDriftCard Compare(FeatureSample reference, FeatureSample current, IReadOnlyList<double>? binEdges,
        FeatureDriftSettings settings, ReportLocation location)
    {
        var statistics = reference.IsNumeric
            ? Numeric(reference, current, binEdges)
            : Categorical(reference, current);
        var value = settings.Method switch
        {
            DriftMethods.Psi => statistics.Psi,
            DriftMethods.KolmogorovSmirnov => statistics.KolmogorovSmirnovPValue,
            DriftMethods.Wasserstein => statistics.Wasserstein,
            DriftMethods.ChiSquare => statistics.ChiSquarePValue,
            DriftMethods.JensenShannon => statistics.JensenShannon,
            DriftMethods.LInfinity => statistics.LInfinity,
            _ => throw new ArgumentException($"Method '{settings.Method}' is not a concrete drift method.", nameof(settings)),
        };
        var drifted = value is { } v && (DriftMethods.IsTest(settings.Method) ? v < settings.Threshold : v >= settings.Threshold);

        var unseen = new List<string>();
        long unseenRows = 0;
        if (!reference.IsNumeric)
        {
            foreach (var pair in current.Categories!.Where(p => p.Value > 0 && !reference.Categories!.ContainsKey(p.Key)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                unseen.Add(pair.Key);
                unseenRows += pair.Value;
            }
        }
        return new FeatureDriftCard(reference.Name, reference.Kind.ToName(), settings.Method, DriftMethods.StatisticName(settings.Method),
            value, settings.Threshold, drifted, location, statistics, Round(reference.MissingRate), Round(current.MissingRate),
            unseen, unseenRows, reference.Rows, current.Rows)
        {
            Bins = Bins(reference, current, binEdges),
        };
    }

    private const int BinnedCategories = 20;

    /// <summary>Rows per training bin (numbers) or per most frequent category, for the report's histograms.</summary>
    private static DriftBinsCard? Bins(FeatureSample reference, FeatureSample current, IReadOnlyList<double>? edges)
    {
        if (reference.IsNumeric)
        {
            return edges is { Count: >= 2 } ? new DriftBinsCard(edges, null, DriftMath.Bin(reference.Sorted, edges), DriftMath.Bin(current.Sorted, edges)) : null;
        }
        var (referenceCounts, currentCounts) = (reference.Categories!, current.Categories!);
        var top = referenceCounts.Concat(currentCounts).GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Rows: g.Sum(p => p.Value))).OrderByDescending(c => c.Rows).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(BinnedCategories).Select(c => c.Key).ToArray();
        return new DriftBinsCard(null, top, top.Select(k => referenceCounts.GetValueOrDefault(k)).ToArray(), top.Select(k => currentCounts.GetValueOrDefault(k)).ToArray());
    }

    private static DriftStatisticsCard Numeric(FeatureSample reference, FeatureSample current, IReadOnlyList<double>? edges)
    {
        var (ks, p) = DriftMath.KolmogorovSmirnov(reference.Sorted, current.Sorted);
        var wasserstein = DriftMath.NormalizedWasserstein(reference.Sorted, current.Sorted, reference.Std);
        double psi = double.NaN;
        if (edges is { Count: >= 2 })
        {
            psi = DriftMath.PopulationStabilityIndex(DriftMath.Bin(reference.Sorted, edges), DriftMath.Bin(current.Sorted, edges));
        }
        return new DriftStatisticsCard(Value(psi), Value(ks), Value(p), Value(wasserstein), null, null, null, null);
    }

    private static DriftStatisticsCard Categorical(FeatureSample reference, FeatureSample current)
    {
        // One bin per category seen in either sample, in a fixed order.
        var keys = reference.Categories!.Keys.Union(current.Categories!.Keys).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var expected = keys.Select(k => reference.Categories.GetValueOrDefault(k)).ToArray();
        var actual = keys.Select(k => current.Categories.GetValueOrDefault(k)).ToArray();
        var (chi, _, p) = DriftMath.ChiSquareHomogeneity(expected, actual);
        return new DriftStatisticsCard(Value(DriftMath.PopulationStabilityIndex(expected, actual)), null, null, null,
            Value(chi), Value(p), Value(DriftMath.JensenShannon(expected, actual)), Value(DriftMath.LInfinity(expected, actual)));
    }

    private static double? Value(double value) => double.IsNaN(value) ? null : Round(value);

    /// <summary>Six significant digits: enough for any threshold, and a stable drift.json.</summary>
    private static double Round(double value) =>
        double.Parse(value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}

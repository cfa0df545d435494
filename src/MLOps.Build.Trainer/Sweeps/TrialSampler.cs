using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Draws a sweep's configurations. Configuration <c>i</c> depends only on the seed and <c>i</c> (never on other
/// trials' results or timing), so raising the budget keeps every configuration drawn before, and every machine draws
/// the same ones.
/// </summary>
public static class TrialSampler
{
    /// <summary>Grid points per range: its ends and its middle (geometric for a log range).</summary>
    public const int GridPointsPerRange = 3;

    /// <summary>Draws per slot before a space counts as exhausted (every configuration it can give was drawn).</summary>
    private const int Attempts = 50;

    /// <summary>
    /// Random: trainers in turn, each option drawn uniformly (log-uniformly on a log range) from a generator seeded by
    /// the slot number. A configuration drawn before is drawn again (a small discrete space repeats); when a trainer's
    /// space has nothing new left, its turn passes, and the sequence ends when no trainer has. With a hand-set
    /// <c>trainer</c> in the manifest, it is configuration 0.
    /// </summary>
    public static IEnumerable<TrialConfig> Random(IReadOnlyList<ResolvedSpace> spaces, int seed, TrialConfig? handSet = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        if (handSet is not null)
        {
            seen.Add(handSet.Key(0));
            yield return handSet with { Index = index++ };
        }
        var exhausted = new HashSet<ResolvedSpace>();
        for (var slot = 0; exhausted.Count < spaces.Count; slot++)
        {
            var space = spaces[slot % spaces.Count];
            if (exhausted.Contains(space))
            {
                continue;
            }
            TrialConfig? fresh = null;
            for (var attempt = 0; attempt < Attempts && fresh is null; attempt++)
            {
                var random = new Random(attempt == 0 ? Seeds.Derive(seed, slot) : Seeds.Derive(seed, slot, attempt));
                var candidate = new TrialConfig(index, space, space.Parameters.Select(p => (p.Name, Draw(p, random))).ToArray());
                if (seen.Add(candidate.Key(0)))
                {
                    fresh = candidate;
                }
            }
            if (fresh is null)
            {
                exhausted.Add(space);
                continue;
            }
            index++;
            yield return fresh;
        }
    }

    /// <summary>Grid: every combination of each space's values, spaces in order, the last option varying fastest.</summary>
    public static IEnumerable<TrialConfig> Grid(IReadOnlyList<ResolvedSpace> spaces)
    {
        var index = 0;
        foreach (var space in spaces)
        {
            var axes = space.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Name, Values: Points(p))).ToArray();
            foreach (var combination in Combinations(axes.Select(a => a.Values).ToArray()))
            {
                yield return new TrialConfig(index++, space, axes.Select((a, i) => (a.Name, combination[i])).ToArray());
            }
        }
    }

    internal static OptionLiteral Draw(ResolvedParameter parameter, Random random) => parameter.Domain switch
    {
        FixedDomain fixedValue => fixedValue.Value,
        ChoiceDomain choice => choice.Values[random.Next(choice.Values.Count)],
        RangeDomain range => Number(range.Log
            ? Math.Exp(Math.Log(range.Min) + random.NextDouble() * (Math.Log(range.Max) - Math.Log(range.Min)))
            : range.Min + random.NextDouble() * (range.Max - range.Min), parameter.Integer, range),
        _ => throw new ArgumentException($"Unknown domain {parameter.Domain}.", nameof(parameter)),
    };

    private static IReadOnlyList<OptionLiteral> Points(ResolvedParameter parameter) => parameter.Domain switch
    {
        FixedDomain fixedValue => [fixedValue.Value],
        ChoiceDomain choice => choice.Values,
        RangeDomain range => new[] { range.Min, range.Log ? Math.Sqrt(range.Min * range.Max) : (range.Min + range.Max) / 2, range.Max }
            .Select(v => Number(v, parameter.Integer, range)).DistinctBy(v => v.Text).ToArray(),
        _ => throw new ArgumentException($"Unknown domain {parameter.Domain}.", nameof(parameter)),
    };

    /// <summary>A drawn number as the option takes it: whole numbers rounded into the range, others to 6 significant digits.</summary>
    internal static OptionLiteral Number(double value, bool integer, RangeDomain range)
    {
        if (integer)
        {
            return OptionLiteral.Number(Math.Clamp(Math.Round(value), Math.Ceiling(range.Min), Math.Floor(range.Max)));
        }
        var rounded = double.Parse(value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        return OptionLiteral.Number(Math.Clamp(rounded, range.Min, range.Max));
    }

    private static IEnumerable<OptionLiteral[]> Combinations(IReadOnlyList<OptionLiteral>[] axes)
    {
        if (axes.Length == 0)
        {
            yield return [];
            yield break;
        }
        var positions = new int[axes.Length];
        while (true)
        {
            yield return positions.Select((p, a) => axes[a][p]).ToArray();
            var axis = axes.Length - 1;
            while (axis >= 0 && ++positions[axis] == axes[axis].Count)
            {
                positions[axis--] = 0;
            }
            if (axis < 0)
            {
                yield break;
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Json;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// A sweep's first configurations taken from the model's run history: the winners of its earlier sweeps on the same
/// metric, best first, those that still fit today's search spaces. On changed data the best configurations of before
/// are the likeliest to be good again (Optuna's <c>enqueue_trial</c>, FLAML's <c>points_to_evaluate</c>), so they are
/// evaluated before anything the sampler draws.
/// </summary>
public static class WarmStart
{
    /// <summary>Earlier winners tried first, at most.</summary>
    public const int Configurations = 3;

    public static IReadOnlyList<TrialConfig> From(IEnumerable<RunRecord> history, IReadOnlyList<ResolvedSpace> spaces, string metric, bool higherIsBetter)
    {
        var winners = history
            .Where(r => r.Sweep is { } sweep && sweep.Metric == metric && double.IsFinite(sweep.Best.Mean))
            .Select(r => r.Sweep!.Best)
            .OrderBy(b => higherIsBetter ? -b.Mean : b.Mean);
        var configs = new List<TrialConfig>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var best in winners)
        {
            if (configs.Count == Configurations)
            {
                break;
            }
            if (spaces.FirstOrDefault(s => s.Trainer.Name == best.Trainer) is { } space && Fit(space, best.Options) is { } options)
            {
                var config = new TrialConfig(configs.Count, space, options);
                if (keys.Add(config.Key(0)))
                {
                    configs.Add(config);
                }
            }
        }
        return configs;
    }

    /// <summary>
    /// The warm configurations first, then the sampler's, numbered on from them; a drawn configuration equal to a warm
    /// one is left out (it was tried already).
    /// </summary>
    public static IEnumerable<TrialConfig> Before(IReadOnlyList<TrialConfig> warm, IEnumerable<TrialConfig> drawn)
    {
        var keys = warm.Select(c => c.Key(0)).ToHashSet(StringComparer.Ordinal);
        var index = 0;
        foreach (var config in warm)
        {
            yield return config with { Index = index++ };
        }
        foreach (var config in drawn.Where(c => !keys.Contains(c.Key(0))))
        {
            yield return config with { Index = index++ };
        }
    }

    /// <summary>Each searched option's earlier value as the space gives it; null when one is missing or outside today's space.</summary>
    private static IReadOnlyList<(string Name, OptionLiteral Value)>? Fit(ResolvedSpace space, IReadOnlyDictionary<string, object?> earlier)
    {
        var options = new List<(string, OptionLiteral)>();
        foreach (var parameter in space.Parameters)
        {
            if (!earlier.TryGetValue(parameter.Name, out var value) || Literal(value) is not { } literal)
            {
                return null;
            }
            OptionLiteral? fitted = parameter.Domain switch
            {
                FixedDomain fixedValue => Same(fixedValue.Value, literal) ? fixedValue.Value : null,
                ChoiceDomain choice => choice.Values.FirstOrDefault(v => Same(v, literal)),
                RangeDomain range when Number(literal) is { } n && n >= range.Min && n <= range.Max => OptionLiteral.Number(n),
                _ => null,
            };
            if (fitted is null)
            {
                return null;
            }
            options.Add((parameter.Name, fitted));
        }
        return options;
    }

    private static bool Same(OptionLiteral a, OptionLiteral b) =>
        Number(a) is { } x && Number(b) is { } y ? x == y : a.Kind == b.Kind && a.Text == b.Text;

    private static double? Number(OptionLiteral literal) =>
        literal.Kind == LocatedKind.Number && double.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>An option value as the run history holds it (read back as JSON elements, or written as numbers, strings and booleans).</summary>
    private static OptionLiteral? Literal(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e => new OptionLiteral(LocatedKind.Number, e.GetRawText()),
        JsonElement { ValueKind: JsonValueKind.String } e => new OptionLiteral(LocatedKind.String, e.GetString()),
        JsonElement { ValueKind: JsonValueKind.True } => new OptionLiteral(LocatedKind.True, "true"),
        JsonElement { ValueKind: JsonValueKind.False } => new OptionLiteral(LocatedKind.False, "false"),
        double d => OptionLiteral.Number(d),
        bool b => new OptionLiteral(b ? LocatedKind.True : LocatedKind.False, b ? "true" : "false"),
        string s => new OptionLiteral(LocatedKind.String, s),
        _ => null,
    };
}

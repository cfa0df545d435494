using System.Globalization;
using System.Text;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>One configuration a sweep tries: a trainer and a value for each of its searched options.</summary>
/// <param name="Index">Its number in the sweep, 0-based: configurations are drawn in this order, and it breaks ties.</param>
public sealed record TrialConfig(int Index, ResolvedSpace Space, IReadOnlyList<(string Name, OptionLiteral Value)> Options)
{
    public string Trainer => Space.Trainer.Name;

    /// <summary>The same configuration with its resource option (halving's iterations) set.</summary>
    public TrialConfig WithResource(long value) => Space.Resource is not { } resource ? this : this with
    {
        Options = [.. Options.Where(o => o.Name != resource.Name), (resource.Name, OptionLiteral.Number(value))],
    };

    /// <summary>The same configuration with all of its resource: what halving's last round evaluates.</summary>
    public TrialConfig WithFullResource() => Space.Resource?.Domain is RangeDomain range ? WithResource((long)Math.Floor(range.Max)) : this;

    /// <summary>The columns this configuration leaves out (<see cref="ColumnDropping"/>).</summary>
    public IReadOnlyList<string> Dropped => ColumnDropping.Dropped(Options);

    /// <summary>As the trainer binds it (its options, not the columns it leaves out); a bad value is reported at the search space.</summary>
    public TrainerChoice ToChoice() => new(Trainer, Space.Location, Options
        .Where(o => !ColumnDropping.IsDropOption(o.Name))
        .Select(o => new OptionSetting(o.Name, o.Value, LocationOf(o.Name), LocationOf(o.Name)))
        .ToArray());

    /// <summary>"FastTree {NumberOfLeaves: 23, LearningRate: 0.12}", then " without 'heavy'" when it leaves columns out.</summary>
    public string Describe()
    {
        var options = $"{Trainer} {{{string.Join(", ", Ordered.Where(o => !ColumnDropping.IsDropOption(o.Name)).Select(o => $"{o.Name}: {o.Value}"))}}}";
        var dropped = Dropped;
        return dropped.Count == 0 ? options : $"{options} without {string.Join(", ", dropped.Select(c => $"'{c}'"))}";
    }

    /// <summary>Trainer, options and folds in a canonical form: the part of a trial's fingerprint the sweep decides.</summary>
    public string Key(int folds)
    {
        var text = new StringBuilder().Append("trainer=").Append(Trainer).Append(";folds=").Append(folds.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in Ordered)
        {
            text.Append(';').Append(name).Append('=').Append(value);
        }
        return text.ToString();
    }

    public IReadOnlyDictionary<string, object?> OptionValues() =>
        new SortedDictionary<string, object?>(Options.ToDictionary(o => o.Name, o => o.Value.ToValue()), StringComparer.Ordinal);

    private IEnumerable<(string Name, OptionLiteral Value)> Ordered => Options.OrderBy(o => o.Name, StringComparer.Ordinal);

    private Diagnostics.FileLocation LocationOf(string option) =>
        Space.Parameters.FirstOrDefault(p => p.Name == option)?.Location ?? Space.Location;
}

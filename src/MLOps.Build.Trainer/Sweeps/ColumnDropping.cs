using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using MLOps.Build.Trainer.Data;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// <c>sweep.dropColumns</c>: each listed column becomes a yes-or-no choice in every trainer's space, an option named
/// <c>drop:column</c>, so random, grid, halving and tpe search it as they search any option (tpe learns which columns
/// the good configurations leave out), trials that leave out different columns are different cached trials, and the
/// winner's model is trained without its dropped columns: they are not inputs of the model or its generated class.
/// Meant for the columns MLOPS2039 names as underutilized: whether leaving one out costs anything is then decided by
/// cross-validation, not by hand.
/// </summary>
public static class ColumnDropping
{
    public const string OptionPrefix = "drop:";

    private static readonly ChoiceDomain KeepOrDrop = new([new OptionLiteral(LocatedKind.False, "false"), new OptionLiteral(LocatedKind.True, "true")]);

    public static bool IsDropOption(string name) => name.StartsWith(OptionPrefix, StringComparison.Ordinal);

    /// <summary>The spaces with one yes-or-no choice per listed column; null after reporting a column that is not a feature of the training data.</summary>
    public static IReadOnlyList<ResolvedSpace>? AddTo(IReadOnlyList<ResolvedSpace> spaces, ModelManifest manifest, TrainingTable train, DiagnosticBag diagnostics)
    {
        var columns = manifest.Sweep!.DropColumns;
        var features = train.Features.Select(f => f.Name).ToArray();
        var unknown = columns.Where(c => !features.Contains(c.Name, StringComparer.Ordinal)).ToArray();
        foreach (var column in unknown)
        {
            var why = column.Name == manifest.Label ? "it is the label"
                : manifest.Exclude.Any(e => e.Name == column.Name) ? "'exclude' leaves it out of every configuration already"
                : $"the training data has no such feature column.{Suggestions.DidYouMean(column.Name, features)}";
            diagnostics.Add(D.InvalidSweepSpace, column.Location, $"'sweep.dropColumns' names '{column.Name}', which a configuration cannot leave out: {why}");
        }
        if (unknown.Length > 0)
        {
            return null;
        }
        var choices = columns.Select(c => new ResolvedParameter(OptionPrefix + c.Name, KeepOrDrop, Integer: false, c.Location)).ToArray();
        return choices.Length == 0 ? spaces : spaces.Select(s => s with { Parameters = [.. s.Parameters, .. choices] }).ToArray();
    }

    /// <summary>The columns a configuration's options leave out, by name.</summary>
    public static IReadOnlyList<string> Dropped(IEnumerable<(string Name, OptionLiteral Value)> options) =>
        [.. options.Where(o => IsDropOption(o.Name) && o.Value.Kind == LocatedKind.True).Select(o => o.Name[OptionPrefix.Length..]).Order(StringComparer.Ordinal)];

    /// <summary>The table without the <paramref name="dropped"/> features.</summary>
    public static TrainingTable Without(TrainingTable table, IReadOnlyList<string> dropped) => dropped.Count == 0 ? table
        : new TrainingTable(table.Path, table.Features.Where(f => !dropped.Contains(f.Name, StringComparer.Ordinal)).ToArray(), table.Label, table.RowCount) { Filtered = table.Filtered };
}

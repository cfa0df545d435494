using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Cli.Projects;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>
/// <c>dotnet mlops diff [REV]</c>: each model's current metrics and trainer options against the accepted ones in its
/// lock file (in the working tree, or at a git revision), like <c>dvc metrics diff</c> and <c>dvc params diff</c>; a
/// change is better or worse by the metric's direction.
/// </summary>
public static class DiffCommand
{
    public sealed record MetricChange(string Metric, double? Before, double? After, double? Change, string Verdict)
    {
        /// <summary>The change on the same test rows with its paired bootstrap interval, when the build compared the two models.</summary>
        public SameRowsChange? SameRows { get; init; }
    }

    /// <summary>Both models measured on the same test rows (the build's <c>comparison.json</c>) and the interval of the difference.</summary>
    public sealed record SameRowsChange(int Rows, double Level, double Accepted, double Current, double Difference, double Lower, double Upper, bool Significant);

    public sealed record OptionChange(string Option, string? Before, string? After);

    /// <param name="Options">The trainer and its options against the accepted model's, from the run history (empty when the
    /// accepted model's run is not in it, or nothing changed).</param>
    public sealed record ModelDiff(string Model, string Against, IReadOnlyList<MetricChange> Metrics, IReadOnlyList<OptionChange> Options);

    /// <summary>Each metric of either side, its change, and whether that is better or worse by the metric's direction.</summary>
    public static IReadOnlyList<MetricChange> Changes(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after, ModelTask? task) =>
        before.Keys.Concat(after.Keys).Distinct().Order(StringComparer.Ordinal).Select(name =>
        {
            double? old = before.TryGetValue(name, out var b) ? b : null;
            double? now = after.TryGetValue(name, out var a) ? a : null;
            var change = old is { } o && now is { } n ? n - o : (double?)null;
            var verdict = change is not { } d ? "new or gone" : d == 0 || task is null ? "same"
                : MetricCatalog.HigherIsBetter(task.Value, name) == d > 0 ? "better" : "worse";
            return new MetricChange(name, old, now, change, verdict);
        }).ToArray();

    public static int Run(ProjectModels project, string? revision, bool json)
    {
        var diffs = new List<ModelDiff>();
        foreach (var model in project.Models)
        {
            var card = File.Exists(model.ModelCardPath) ? ArtifactJson.Read(model.ModelCardPath, ArtifactJson.ModelCard) : null;
            string? problem = null;
            var before = revision is null ? Lock(model.LockPath) : GitRevision.LockAt(model.RepositoryRoot, model.LockPath, revision, out problem);
            if (problem is not null)
            {
                Output.Error(problem);
                return 1;
            }
            var task = card is not null && ModelTasks.TryParse(card.Task, out var t) ? t : (ModelTask?)null;
            var changes = WithSameRows(Changes(before?.Metrics ?? new Dictionary<string, double>(), card?.Metrics ?? new Dictionary<string, double>(), task),
                Comparison(model, card, before));
            diffs.Add(new ModelDiff(model.Name, revision is null ? "lock file" : $"lock file at {revision}", changes, Options(project, model, card, before)));
        }
        if (json)
        {
            Output.WriteJson(diffs);
            return 0;
        }
        foreach (var diff in diffs)
        {
            AnsiConsole.MarkupLine($"[bold]{Output.Text(diff.Model)}[/] against the {Output.Text(diff.Against)}");
            var sameRows = diff.Metrics.Any(m => m.SameRows is not null);
            var table = sameRows
                ? Output.Table("metric", "accepted", "current", "change", "verdict", "same test rows: change, interval")
                : Output.Table("metric", "accepted", "current", "change", "verdict");
            foreach (var m in diff.Metrics)
            {
                var colour = m.Verdict switch { "better" => "green", "worse" => "red", _ => "grey" };
                string[] cells = [m.Metric, m.Before is { } b ? Output.Number(b) : "—", m.After is { } a ? Output.Number(a) : "—",
                    m.Change is { } c ? $"[{colour}]{(c > 0 ? "+" : "")}{Output.Number(c)}[/]" : "—", $"[{colour}]{Output.Text(Output.Verdict(m.Verdict))}[/]"];
                table.AddRow(sameRows ? [.. cells, SameRowsText(m.SameRows)] : cells);
            }
            AnsiConsole.Write(table);
            if (diff.Options.Count > 0)
            {
                var options = Output.Table("option", "accepted", "current");
                foreach (var o in diff.Options)
                {
                    options.AddRow(Output.Text(o.Option), Output.Text(o.Before ?? "—"), Output.Text(o.After ?? "—"));
                }
                AnsiConsole.Write(options);
            }
        }
        return 0;
    }

    /// <summary>The build's comparison of the current model with exactly this accepted one; null when there is none or it found no intervals.</summary>
    private static ModelComparison? Comparison(ModelEntry model, ModelCard? card, ModelLock? accepted) =>
        card is null || accepted is null ? null
            : ModelComparison.Read(Path.GetDirectoryName(model.ModelCardPath)!, card.Fingerprint, accepted) is { Problem: null } comparison ? comparison : null;

    private static IReadOnlyList<MetricChange> WithSameRows(IReadOnlyList<MetricChange> changes, ModelComparison? comparison) =>
        comparison is null ? changes : changes.Select(change => comparison.Metrics.TryGetValue(change.Metric, out var m)
            ? change with { SameRows = new SameRowsChange(comparison.Rows, comparison.Level, m.Accepted, m.Current, m.Difference, m.Lower, m.Upper, m.IsSignificant) }
            : change).ToArray();

    private static string SameRowsText(SameRowsChange? change) => change is null ? "—"
        : Output.Text($"{(change.Difference > 0 ? "+" : "")}{Output.Number(change.Difference)} [{Output.Number(change.Lower)}, {Output.Number(change.Upper)}]")
          + (change.Significant ? "" : " [grey]within noise[/]");

    /// <summary>
    /// The lock file keeps no options, so the accepted model's are looked up in the run history by its ONNX hash (every
    /// training run records its options), like <c>dvc params diff</c>.
    /// </summary>
    private static IReadOnlyList<OptionChange> Options(ProjectModels project, ModelEntry model, ModelCard? card, ModelLock? accepted)
    {
        if (card?.Trainer is not { } trainer || accepted is null || string.IsNullOrEmpty(project.RunsDirectory))
        {
            return [];
        }
        var run = RunHistory.Read(RunHistory.PathFor(project.RunsDirectory, model.RepositoryRoot, model.Name)).LastOrDefault(r => r.ModelSha256 == accepted.ModelSha256);
        if (run is null)
        {
            return [];
        }
        var before = new Dictionary<string, string?>(StringComparer.Ordinal) { ["trainer"] = run.Trainer };
        foreach (var option in run.Options)
        {
            before[option.Key] = Text(option.Value);
        }
        var after = new Dictionary<string, string?>(StringComparer.Ordinal) { ["trainer"] = trainer.Name };
        foreach (var option in trainer.Options)
        {
            after[option.Key] = Text(option.Value);
        }
        return before.Keys.Union(after.Keys).OrderBy(k => k == "trainer" ? "" : k, StringComparer.Ordinal)
            .Select(k => new OptionChange(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After).ToArray();
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The lock file; a damaged one counts as none, as the build treats it (MLOPS3010).</summary>
    private static ModelLock? Lock(string path) => ArtifactJson.ReadOrNull(path, ArtifactJson.ModelLock);
}

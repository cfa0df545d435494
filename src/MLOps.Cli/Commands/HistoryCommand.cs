using MLOps.Build.Artifacts;
using MLOps.Build.Git;
using MLOps.Build.Manifest;
using MLOps.Build.Paths;
using MLOps.Cli.Projects;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>
/// <c>dotnet mlops history &lt;Model&gt;</c>: the model's promotion history, every acceptance committed to its lock file
/// (who, when, the accepted model, its metrics and data hashes) with what changed from the acceptance before, read
/// from git's log: the lock file is the registry, git the audit trail.
/// </summary>
public static class HistoryCommand
{
    public sealed record DataChange(string Role, string? Before, string? After);

    /// <param name="Metrics">Against the previous acceptance; empty for the first.</param>
    public sealed record Acceptance(string Commit, string By, string At, string Subject, string ModelSha256,
        IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string> Data,
        IReadOnlyList<DiffCommand.MetricChange> MetricChanges, IReadOnlyList<DataChange> DataChanges);

    /// <param name="Pending">Whether the lock file has changes not committed yet (an acceptance not in the history).</param>
    public sealed record ModelHistory(string Model, string Lock, bool Pending, IReadOnlyList<Acceptance> Acceptances);

    public static int Run(ProjectModels project, string modelName, bool json)
    {
        if (project.Models.FirstOrDefault(m => m.Name == modelName) is not { } model)
        {
            Output.Error($"No model '{modelName}' in {project.ProjectPath}; its models: {string.Join(", ", project.Models.Select(m => m.Name))}.");
            return 1;
        }
        var relative = RepositoryPaths.Relative(model.RepositoryRoot, model.LockPath);
        if (LockHistory.Commits(model.RepositoryRoot, relative) is not { } commits)
        {
            Output.Error($"The history of '{relative}' cannot be read: git is not installed, or '{model.RepositoryRoot}' is not a git repository.");
            return 1;
        }
        var task = ArtifactsTask(model.ModelCardPath);
        var locks = commits.Select(c => (Commit: c, Lock: LockHistory.At(model.RepositoryRoot, c.Commit, relative) is { } text ? LockHistory.Parse(text) : null))
            .Where(c => c.Lock is not null).ToList();
        var acceptances = new List<Acceptance>();
        for (var i = 0; i < locks.Count; i++)
        {
            var (commit, accepted) = locks[i];
            var previous = i + 1 < locks.Count ? locks[i + 1].Lock : null;
            acceptances.Add(new Acceptance(commit.Commit, commit.Author, commit.At, commit.Subject, accepted!.ModelSha256, accepted.Metrics, accepted.Data,
                previous is null ? [] : DiffCommand.Changes(previous.Metrics, accepted.Metrics, task), previous is null ? [] : DataChanges(previous.Data, accepted.Data)));
        }
        var history = new ModelHistory(model.Name, relative, LockHistory.IsUncommitted(model.RepositoryRoot, relative), acceptances);
        if (json)
        {
            Output.WriteJson(history);
            return 0;
        }
        Print(history);
        return 0;
    }

    private static ModelTask? ArtifactsTask(string cardPath) =>
        File.Exists(cardPath) && ModelTasks.TryParse(ArtifactJson.Read(cardPath, ArtifactJson.ModelCard).Task, out var task) ? task : null;

    private static List<DataChange> DataChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Concat(after.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(role => before.GetValueOrDefault(role) != after.GetValueOrDefault(role))
            .Select(role => new DataChange(role, before.GetValueOrDefault(role), after.GetValueOrDefault(role))).ToList();

    private static void Print(ModelHistory history)
    {
        AnsiConsole.MarkupLine($"[bold]{Output.Text(history.Model)}[/]: {history.Acceptances.Count} acceptances in {Output.Text(history.Lock)}" +
            (history.Pending ? " (and one not committed yet)" : ""));
        var table = Output.Table("when", "by", "commit", "model", "metrics", "changed");
        foreach (var a in history.Acceptances)
        {
            var changed = string.Join("; ", a.MetricChanges.Where(m => m.Verdict != "same").Select(m => $"{m.Metric} {Output.Verdict(m.Verdict)} ({(m.Change is { } c ? (c >= 0 ? "+" : "") + Output.Number(c) : "—")})")
                .Concat(a.DataChanges.Select(d => $"{d.Role} data {(d.Before is null ? "added" : d.After is null ? "removed" : "changed")}")));
            table.AddRow(Output.Text(a.At), Output.Text(a.By), Output.Text(a.Commit.Substring(0, 8)), Output.Text(Output.Short(a.ModelSha256)),
                Output.Text(string.Join(", ", a.Metrics.Select(m => $"{m.Key} {Output.Number(m.Value)}"))), Output.Text(changed.Length == 0 ? "—" : changed));
        }
        AnsiConsole.Write(table);
    }
}

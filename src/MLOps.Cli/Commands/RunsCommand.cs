using MLOps.Build.Manifest;
using MLOps.Build.Artifacts;
using MLOps.Build.IO;
using MLOps.Cli.Projects;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary><c>dotnet mlops runs</c>: each model's run history (every training run, newest last) and its latest sweep's leaderboard.</summary>
public static class RunsCommand
{
    public sealed record ModelRuns(string Model, IReadOnlyList<RunRecord> Runs, IReadOnlyList<TrialRecord> Leaderboard);

    public static int Run(ProjectModels project, string? modelName, bool json)
    {
        var models = project.Models.Where(m => modelName is null || m.Name == modelName).ToArray();
        if (models.Length == 0)
        {
            Output.Error($"No model '{modelName}' in {project.ProjectPath}; its models: {string.Join(", ", project.Models.Select(m => m.Name))}.");
            return 1;
        }
        var result = models.Select(m =>
        {
            var runs = string.IsNullOrEmpty(project.RunsDirectory) ? [] : RunHistory.Read(RunHistory.PathFor(project.RunsDirectory, m.RepositoryRoot, m.Name));
            var sweepPath = Path.Combine(m.ArtifactsDirectory, ArtifactNames.SweepReport);
            var sweep = File.Exists(sweepPath) ? ArtifactJson.Read(sweepPath, ArtifactJson.SweepReport) : null;
            return new ModelRuns(m.Name, runs, sweep?.Trials.Take(10).ToArray() ?? []);
        }).ToArray();
        if (json)
        {
            Output.WriteJson(result);
            return 0;
        }
        foreach (var model in result)
        {
            AnsiConsole.MarkupLine($"[bold]{Output.Text(model.Model)}[/]: {model.Runs.Count} runs");
            var table = Output.Table("when", "commit", "trainer", "metrics", "seconds");
            foreach (var run in model.Runs)
            {
                table.AddRow(Output.Text(run.Time), Output.Text(run.Commit is { Length: >= 8 } c ? c.Substring(0, 8) : run.Commit ?? "—"), Output.Text(run.Trainer),
                    Output.Text(MetricCatalog.Summary(run.Metrics, MetricCatalog.Headline(run.Metrics))), Output.Number(run.DurationSeconds));
            }
            AnsiConsole.Write(table);
            if (model.Leaderboard.Count > 0)
            {
                var board = Output.Table("#", "trainer", "options", "mean");
                foreach (var trial in model.Leaderboard)
                {
                    board.AddRow(trial.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Text(trial.Trainer),
                        Output.Text(string.Join(", ", trial.Options.Select(o => $"{o.Key} {o.Value}"))), Output.Text(string.Join(", ", trial.Mean.Select(x => $"{x.Key} {Output.Number(x.Value)}"))));
                }
                AnsiConsole.Write(board);
            }
        }
        return 0;
    }
}

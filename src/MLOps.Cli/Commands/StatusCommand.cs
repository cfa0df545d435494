using MLOps.Build.Manifest;
using MLOps.Cli.Projects;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary><c>dotnet mlops status</c>: every model, up to date or stale and why, accepted or not, headline metrics, drift.</summary>
public static class StatusCommand
{
    public sealed record Report(string Project, IReadOnlyList<ModelState> Models);

    public static int Run(ProjectModels project, bool json)
    {
        var models = project.Models.Select(ModelState.Of).ToArray();
        if (json)
        {
            Output.WriteJson(new Report(project.ProjectPath, models));
            return 0;
        }
        var table = Output.Table("model", "state", "accepted", "metrics", "drift", "data");
        foreach (var model in models)
        {
            var state = model.State == ModelState.UpToDate ? "[green]up to date[/]" : $"[yellow]stale[/] ({Output.Text(model.Reason)})";
            var metrics = MetricCatalog.Summary(model.Metrics, MetricCatalog.Headline(model.Metrics));
            var drift = model.FeaturesChecked is null ? "—" : $"{model.FeaturesDrifted} of {model.FeaturesChecked} features drift{(model.DatasetDrift == true ? ", dataset drift" : "")}";
            var data = model.Data.Count == 0 ? "—" : string.Join("\n", model.Data.Select(d => d.Describe()));
            table.AddRow(Output.Text(model.Name), state, Output.Text(model.Acceptance), Output.Text(metrics), Output.Text(drift), Output.Text(data));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

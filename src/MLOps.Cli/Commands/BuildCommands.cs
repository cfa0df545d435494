using MLOps.Cli.Projects;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>
/// The commands that change artifacts run the build's own targets, so the tool can never train or accept anything
/// differently from <c>dotnet build</c>: <c>train</c> (<c>MLOpsTrainModels</c>), <c>accept</c> (<c>MLOpsUpdateLock</c>) and
/// <c>report</c> (<c>MLOpsWriteReport</c>). The build's MLOPS lines are shown as they come, training progress included.
/// </summary>
public static class BuildCommands
{
    public sealed record BuildReport(string Project, int ExitCode, IReadOnlyList<string> Diagnostics, IReadOnlyList<ModelState> Models);

    public static int Train(string project, string? model, bool json) =>
        model is null ? RunTarget(project, json, "-t:MLOpsTrainModels") : RunTarget(project, json, "-t:MLOpsTrainModels", $"-p:MLOpsTrainOnly={model}");

    /// <summary>Runs before anything is resolved: on a fresh clone the data is not pinned yet, which is what accepting does.</summary>
    public static int Accept(string project, bool json) => RunTarget(project, json, "-t:MLOpsValidateModels", "-p:MLOpsUpdateLock=true");

    public static int Report(string projectPath, bool json, bool open)
    {
        var code = RunTarget(projectPath, json: false, quiet: true, "-t:MLOpsWriteReport");
        if (code != 0 || ProjectModels.Resolve(projectPath, Console.Error) is not { } project)
        {
            Output.Error("The report was not written; run dotnet build for the build's messages.");
            return 1;
        }
        var path = Path.Combine(project.ArtifactsDirectory, "report.html");
        if (!File.Exists(path))
        {
            Output.Error("The report was not written; run dotnet build for the build's messages.");
            return 1;
        }
        if (json)
        {
            Output.WriteJson(new { project = project.ProjectPath, report = path });
        }
        else
        {
            Console.Out.WriteLine(path);
        }
        if (open)
        {
            Open(path);
        }
        return 0;
    }

    private static int RunTarget(string project, bool json, params string[] arguments) => RunTarget(project, json, quiet: false, arguments);

    private static int RunTarget(string project, bool json, bool quiet, params string[] arguments)
    {
        var diagnostics = new List<string>();
        void OnLine(string line)
        {
            var at = line.IndexOf("MLOPS", StringComparison.Ordinal);
            if (at < 0)
            {
                return;
            }
            var text = line.Substring(at).Split(" [", 2)[0].Trim();
            diagnostics.Add(text);
            if (!json && !quiet)
            {
                AnsiConsole.MarkupLine(text.Contains("error", StringComparison.Ordinal) ? $"[red]{Output.Text(text)}[/]" : Output.Text(text));
            }
        }
        var result = Dotnet.Run(Path.GetDirectoryName(project)!, OnLine, "build", [project, "-nologo", "-v:n", "-clp:NoSummary", .. arguments]);
        if (json && !quiet)
        {
            // The models as they are now; a project the build cannot resolve has none to show.
            var models = result.ExitCode == 0 ? ProjectModels.Resolve(project, TextWriter.Null)?.Models ?? [] : [];
            Output.WriteJson(new BuildReport(project, result.ExitCode, diagnostics.Distinct().ToArray(), models.Select(ModelState.Of).ToArray()));
        }
        else if (result.ExitCode != 0 && !quiet)
        {
            Output.Error($"dotnet build failed ({result.ExitCode}).");
        }
        return result.ExitCode == 0 ? 0 : 1;
    }

    private static void Open(string path)
    {
        var opener = OperatingSystem.IsWindows() ? "explorer" : OperatingSystem.IsMacOS() ? "open" : "xdg-open";
        try
        {
            System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(opener, path) { UseShellExecute = false })?.Dispose();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Output.Error($"Cannot start '{opener}'; open {path} yourself.");
        }
    }
}

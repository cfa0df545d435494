using System.Diagnostics;
using System.Text.Json;

namespace MLOps.Cli.Projects;

/// <summary>One model of the project as the build resolves it (the <c>MLOpsResolvedModel</c> item and its metadata).</summary>
public sealed record ModelEntry(string Name, string ManifestPath, string Fingerprint, string ArtifactsDirectory, string ModelCardPath,
    string FingerprintPath, string LockPath, string DriftReportPath, string RepositoryRoot)
{
    /// <summary>What changed since the model was last trained, as the build's resolve step says; empty when it is up to date.</summary>
    public string RetrainReason { get; init; } = "";
}

/// <summary>The project's models and settings, asked of the build itself (<c>dotnet msbuild -t:MLOpsResolveModels -getItem</c>).</summary>
/// <param name="BomPath">The project's ML bill of materials (<c>MLOpsBomPath</c>).</param>
public sealed record ProjectModels(string ProjectPath, IReadOnlyList<ModelEntry> Models, string RunsDirectory, string ArtifactsDirectory, string BomPath)
{
    /// <summary>Resolves the project's models; null after printing the build's errors.</summary>
    public static ProjectModels? Resolve(string? project, TextWriter errors)
    {
        var path = FindProject(project, errors);
        if (path is null)
        {
            return null;
        }
        // -restore: a fresh clone has not restored MLOps.Build yet, and without it the targets do not exist.
        var result = Dotnet.Run(Path.GetDirectoryName(path)!, "msbuild", path, "-restore", "-t:MLOpsResolveModels", "-getItem:MLOpsResolvedModel",
            "-getProperty:MLOpsRunsDir", "-getProperty:MLOpsArtifactsDir", "-getProperty:MLOpsBomPath", "-nologo");
        var start = result.Output.IndexOf('{');
        if (result.ExitCode != 0 || start < 0)
        {
            errors.WriteLine(BuildErrors(result.Output));
            return null;
        }
        using var json = JsonDocument.Parse(result.Output.Substring(start));
        var models = json.RootElement.TryGetProperty("Items", out var items) && items.TryGetProperty("MLOpsResolvedModel", out var resolved)
            ? resolved.EnumerateArray().Select(m => new ModelEntry(
                Get(m, "ModelName"), Get(m, "FullPath"), Get(m, "Fingerprint"), Get(m, "ArtifactsDirectory"), Get(m, "ModelCardPath"),
                Get(m, "FingerprintPath"), Get(m, "LockPath"), Get(m, "DriftReportPath"), Get(m, "RepositoryRoot")) { RetrainReason = Get(m, "RetrainReason") }).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray()
            : [];
        var properties = json.RootElement.GetProperty("Properties");
        return new ProjectModels(path, models, Get(properties, "MLOpsRunsDir"), Get(properties, "MLOpsArtifactsDir"), Get(properties, "MLOpsBomPath"));
    }

    /// <summary>
    /// What the build said was wrong: its error and warning lines, each once (with -getItem, MSBuild also prints the JSON
    /// of whatever it evaluated, which is no message for a person); the plain output when it has no such line.
    /// </summary>
    internal static string BuildErrors(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @": (error|warning) [A-Z]+[0-9]+:"))
            .Select(l => l.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (lines.Length > 0)
        {
            return string.Join(Environment.NewLine, lines);
        }
        var json = output.IndexOf('{');
        return (json < 0 ? output : output.Substring(0, json)).Trim() is { Length: > 0 } text ? text : "The build could not resolve the project's models.";
    }

    private static string Get(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    /// <summary>The project file: the one given (or the only one in the folder given), else the only one in the current folder.</summary>
    public static string? FindProject(string? project, TextWriter errors)
    {
        if (project is not null)
        {
            if (File.Exists(project))
            {
                return Path.GetFullPath(project);
            }
            if (Directory.Exists(project))
            {
                return Single(Path.GetFullPath(project), errors);
            }
            errors.WriteLine($"No project '{project}'.");
            return null;
        }
        return Single(Directory.GetCurrentDirectory(), errors);
    }

    private static string? Single(string folder, TextWriter errors)
    {
        var projects = Directory.GetFiles(folder, "*.csproj");
        if (projects.Length == 1)
        {
            return projects[0];
        }
        errors.WriteLine(projects.Length == 0
            ? $"No project file in '{folder}'; pass --project."
            : $"Several project files in '{folder}' ({string.Join(", ", projects.Select(Path.GetFileName))}); pass --project.");
        return null;
    }
}

/// <summary>Runs the .NET SDK's own commands.</summary>
public static class Dotnet
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, string command, params string[] arguments) => Run(workingDirectory, null, command, arguments);

    /// <param name="onLine">Each output line as it comes (standard output and error), for live progress; null: collected only.</param>
    public static Result Run(string workingDirectory, Action<string>? onLine, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        var gate = new object();
        void Receive(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (gate)
            {
                output.AppendLine(e.Data);
                onLine?.Invoke(e.Data);
            }
        }
        process.OutputDataReceived += Receive;
        process.ErrorDataReceived += Receive;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }
}

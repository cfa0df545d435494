using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Issue goal: a no-op `dotnet build` of a project with one model costs at most 5% more than the same project
/// without it. Both twins are built once in setup (the model is trained then), then measured side by side.
/// Needs the packages from `dotnet pack MLOps.Build.sln -c Release -o artifacts/packages`.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30)]
public class NoOpBuildBenchmarks
{
    private string _root = "";
    private string _withModel = "";
    private string _withoutModel = "";

    [GlobalSetup]
    public void Setup()
    {
        var repository = typeof(NoOpBuildBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var feed = Path.Combine(repository, "artifacts", "packages");
        if (!File.Exists(Path.Combine(feed, "MLOps.Build.0.1.0.nupkg")))
        {
            throw new InvalidOperationException($"Run `dotnet pack MLOps.Build.sln -c Release -o artifacts/packages` first (no package in {feed}).");
        }
        _root = Path.Combine(Path.GetTempPath(), "mlops-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_root, ".git"));
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
            </configuration>
            """);
        var sample = Path.Combine(repository, "samples", "WeatherForecast");
        _withModel = Twin("WithModel", sample, withModel: true);
        _withoutModel = Twin("WithoutModel", sample, withModel: false);
        foreach (var project in new[] { _withModel, _withoutModel })
        {
            Dotnet(project, "build", "-c", "Release", "-p:MLOpsCacheEnabled=false");
        }
    }

    private string Twin(string name, string sample, bool withModel)
    {
        var folder = Path.Combine(_root, name);
        CopyDirectory(Path.Combine(sample, "Models"), Path.Combine(folder, "Models"));
        // The same code in both twins (the sample's own code needs the generated class), so that only the model differs.
        File.WriteAllText(Path.Combine(folder, "Program.cs"), "System.Console.WriteLine(\"no-op\");\n");
        var project = File.ReadAllText(Path.Combine(sample, "WeatherForecast.csproj")).Replace("$(MLOpsVersion)", "0.1.0");
        if (!withModel)
        {
            // Same packages and code; only the model is missing.
            project = project.Replace("<MLModel Include=\"Models/WeatherModel.mlmodel.json\" />", "");
        }
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), project);
        return folder;
    }

    [Benchmark(Baseline = true, Description = "no-op build, project without a model")]
    public void WithoutModel() => Dotnet(_withoutModel, "build", "-c", "Release", "--no-restore");

    [Benchmark(Description = "no-op build, same project with one model")]
    public void WithModel() => Dotnet(_withModel, "build", "-c", "Release", "--no-restore");

    [GlobalCleanup]
    public void Cleanup()
    {
        Dotnet(_root, "build-server", "shutdown");
        Directory.Delete(_root, recursive: true);
    }

    private static void Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed in {directory}:\n{output.Result}\n{error.Result}");
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}

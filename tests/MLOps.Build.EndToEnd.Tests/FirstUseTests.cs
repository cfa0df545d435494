using System.Text.RegularExpressions;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// What a new user does first, on the project `dotnet new console` makes (one TargetFramework, not the
/// TargetFrameworks the other tests use): README's snippets as written, then the CLI's train, accept and report and
/// the documented CI shard job, each judged by what it left behind.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed partial class FirstUseTests(PackagesFixture packages)
{
    [GeneratedRegex("```(?<kind>\\w+)\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private string Readme(string kind, string mustContain) =>
        CodeBlock().Matches(File.ReadAllText(Path.Combine(packages.RepositoryRoot, "README.md")))
            .Where(m => m.Groups["kind"].Value == kind && m.Groups["code"].Value.Contains(mustContain, StringComparison.Ordinal))
            .Select(m => m.Groups["code"].Value).First();

    [Fact]
    public void README_first_use_compiles_in_a_dotnet_new_console_project_and_the_CLI_does_what_it_says()
    {
        using var project = new ConsumerProject(packages, "WeatherApp");
        var created = DotNet.Run(project.Root, null, "new", "console", "-n", "WeatherApp", "-o", project.Root, "--force");
        Assert.True(created.Succeeded, created.Output);
        var csproj = project.PathOf("WeatherApp.csproj");
        // README's item group, with the package version under test.
        var items = Readme("xml", "<MLModel").Replace("0.1.0", packages.Version);
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("</Project>", items + "</Project>"));
        project.Write("Models/Weather.mlmodel.json", Readme("jsonc", "\"name\": \"WeatherModel\""));
        project.CopySampleWeatherData();
        project.Write("Program.cs", Readme("csharp", "using WeatherApp;"));

        var tools = project.PathOf(".tools");
        ProcessResult Cli(params string[] arguments) => DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, arguments);

        project.Verify(nameof(README_first_use_compiles_in_a_dotnet_new_console_project_and_the_CLI_does_what_it_says), () =>
        {
            var install = DotNet.Run(project.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
            Assert.True(install.Succeeded, install.Output);
            // Not pinned yet: the build's own error, not the JSON MSBuild prints with -getItem.
            var unpinned = Cli("status");
            Assert.Equal(2, unpinned.ExitCode);
            Assert.Contains("error MLOPS1022", unpinned.Output);
            Assert.DoesNotContain("\"Items\"", unpinned.Output);
            Assert.DoesNotContain("{", unpinned.Output);

            var pinned = project.Build("MLOpsUpdateLock=true");
            Assert.True(pinned.Succeeded, pinned.Output);
            Assert.DoesNotContain(pinned.Diagnostics, d => d.Severity == "warning" && d.Code.StartsWith("CS", StringComparison.Ordinal));
            var run = DotNet.Run(project.Root, project.Environment, "run", "--no-build");
            Assert.True(run.Succeeded, run.Output);
            var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains(lines[0], new[] { "drizzle", "fog", "rain", "snow", "sun" });
            Assert.Equal("5", lines[1]);

            var onnx = project.PathOf("obj/mlops/WeatherModel/model.onnx");
            var lockFile = project.PathOf("Models/Weather.mlmodel.lock.json");
            var report = project.PathOf("obj/mlops/report.html");

            // train: the changed model is trained (a new model.onnx), and not accepted (the lock file stays).
            var modelBefore = File.ReadAllBytes(onnx);
            var lockBefore = File.ReadAllText(lockFile);
            project.Write("Models/Weather.mlmodel.json", project.Read("Models/Weather.mlmodel.json").Replace("\"NumberOfLeaves\": 15", "\"NumberOfLeaves\": 6"));
            var train = Cli("train");
            Assert.True(train.Succeeded, train.Output);
            Assert.Contains("MLOPS2010: WeatherModel: trained LightGbm", train.Output);
            Assert.NotEqual(modelBefore, File.ReadAllBytes(onnx));
            Assert.Equal(lockBefore, File.ReadAllText(lockFile));
            Assert.Contains("up to date", Cli("status").Output);

            // accept: the lock file now holds the new model.
            var accept = Cli("accept");
            Assert.True(accept.Succeeded, accept.Output);
            Assert.NotEqual(lockBefore, File.ReadAllText(lockFile));
            Assert.Contains(ConsumerProject.Sha256(onnx), File.ReadAllText(lockFile));

            // diff, piped as in a CI log: one line per metric, the verdict in words; a revision needs a git repository.
            var diff = Cli("diff");
            Assert.True(diff.Succeeded, diff.Output);
            Assert.Contains(diff.Output.Split('\n'), l => l.Contains("MicroAccuracy", StringComparison.Ordinal) && l.Contains("= same", StringComparison.Ordinal));
            Assert.DoesNotContain("\u001b[", diff.Output);
            var outsideGit = Cli("diff", "HEAD");
            Assert.Equal(1, outsideGit.ExitCode);
            Assert.Contains("is not in a git repository", outsideGit.Output);
            Assert.DoesNotContain("new or gone", outsideGit.Output);

            // report: written again after it was deleted.
            File.Delete(report);
            var written = Cli("report");
            Assert.True(written.Succeeded, written.Output);
            Assert.True(File.Exists(report));

            // The documented CI shard job on this single-framework project runs its share of the sweep.
            project.Write("Models/Weather.mlmodel.json", Regex.Replace(project.Read("Models/Weather.mlmodel.json"),
                "\"trainer\": \\{[^\\n]*\\},", "\"sweep\": { \"trials\": 4, \"folds\": 2, \"trainers\": [\"LightGbm\"], \"space\": { \"LightGbm\": { \"NumberOfLeaves\": { \"min\": 4, \"max\": 16 } } } },"));
            using var shardRun = project.StartBuildOf(project.Root, ["MLOpsSweepShard=1/2"], "-t:MLOpsTrainModels");
            var shard = ConsumerProject.ToBuildResult(shardRun.Wait(TimeSpan.FromMinutes(10)));
            Assert.True(shard.Succeeded, shard.Output);
            Assert.Contains("MLOPS2024: WeatherModel: sweep shard 1/2 ran its 2 trials", shard.Output);
        });
    }
}

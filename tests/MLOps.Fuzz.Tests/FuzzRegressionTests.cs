using MLOps.Build.Testing;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MLOps.Fuzz.Tests;

/// <summary>
/// Every seed of the fuzzing corpus and every input that once crashed a target (fuzz/regressions/&lt;target&gt;/, one
/// file per finding, kept after the fix) keeps the target's promises (<see cref="FuzzTargets"/>); and AFL++ itself runs
/// briefly over one target, so that the harness cannot rot.
/// </summary>
public sealed partial class FuzzRegressionTests
{
    private static readonly string RepositoryRoot = typeof(FuzzRegressionTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "corpus", "regressions" })
        {
            foreach (var target in FuzzTargets.All.Keys)
            {
                var path = Path.Combine(RepositoryRoot, "fuzz", folder, target);
                foreach (var file in Directory.Exists(path) ? Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray() : [])
                {
                    if (file.Contains(".hang.", StringComparison.Ordinal))
                    {
                        continue; // replayed in a process of their own: a library's runaway thread must not spin in the test host
                    }
                    data.Add(target, Path.GetRelativePath(RepositoryRoot, file));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_seed_and_every_former_crash_keeps_the_targets_promises(string target, string file)
    {
        FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(RepositoryRoot, file)));
    }

    [Fact]
    public void Each_target_has_seeds_and_the_former_crashes_are_kept()
    {
        Assert.All(FuzzTargets.All.Keys, t => Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepositoryRoot, "fuzz", "corpus", t))));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepositoryRoot, "fuzz", "regressions", "manifest")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepositoryRoot, "fuzz", "regressions", "parquet")));
    }

    /// <summary>
    /// Inputs that once hung a target (<c>*.hang.*</c>: a damaged Parquet footer sent Parquet.Net's Thrift reader into an
    /// endless loop) finish with a coded diagnostic in a process of their own, well inside a minute.
    /// </summary>
    [Fact]
    public async Task Every_former_hang_ends_with_a_diagnostic_in_its_own_process()
    {
        // Targets with no finding have no folder (git keeps no empty folder).
        var hangs = FuzzTargets.All.Keys
            .Select(t => (Target: t, Folder: Path.Combine(RepositoryRoot, "fuzz", "regressions", t)))
            .Where(t => Directory.Exists(t.Folder))
            .SelectMany(t => Directory.GetFiles(t.Folder, "*.hang.*").Select(f => (t.Target, f))).ToArray();
        Assert.NotEmpty(hangs);
        foreach (var (target, file) in hangs)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { typeof(FuzzTargets).Assembly.Location, target, file })
            {
                start.ArgumentList.Add(argument);
            }
            using var run = Process.Start(start)!;
            var output = run.StandardOutput.ReadToEndAsync();
            var errors = run.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await run.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!run.HasExited)
                {
                    run.Kill(entireProcessTree: true);
                }
            }
            Assert.True(run.ExitCode == 0, $"{file}: {await output}{await errors}");
        }
    }

    [GeneratedRegex(@"^manifest: (\d+) executions in (\d+) s, (\d+) paths, (\d+) crashes", RegexOptions.Multiline)]
    private static partial Regex Summary();

    /// <summary>The CI smoke run: fuzz/afl on the manifest parser for 15 s (AFL++ from Debian's afl++, which .ci/run installs).</summary>
    [Fact]
    [Trait(TestTiers.Trait, TestTiers.Fuzzer)]
    public async Task AFL_fuzzes_the_manifest_parser_briefly_without_a_crash()
    {
        if (!File.Exists("/usr/bin/afl-fuzz") && !File.Exists("/usr/local/bin/afl-fuzz"))
        {
            Assert.Fail("afl-fuzz is not installed (apt-get install afl++); .ci/run installs it.");
        }
        var output = Path.Combine(Path.GetTempPath(), "mlops-afl-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var argument in new[] { Path.Combine(RepositoryRoot, "fuzz", "afl"), "manifest", "15", output })
        {
            start.ArgumentList.Add(argument);
        }
        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await run.WaitForExitAsync(timeout.Token);

        var (text, errors) = (await stdout, await stderr);
        var summary = Summary().Match(text);
        Assert.True(run.ExitCode == 0 && summary.Success, text + errors);
        Assert.True(long.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 1000, summary.Value);
        Assert.Equal("0", summary.Groups[4].Value);
        Directory.Delete(output, recursive: true);
    }
}

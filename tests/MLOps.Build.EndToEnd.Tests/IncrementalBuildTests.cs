using System.Runtime.Versioning;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>No-op builds cost nothing, the same inputs give the same model, and nothing a killed build leaves is trusted.</summary>
[Collection(PackagesCollection.Name)]
public sealed class IncrementalBuildTests(PackagesFixture packages)
{
    private const string Trained = "MLOPS2010: LoanApproval: trained";
    private const string UpToDate = "MLOPS2011: LoanApproval is up to date";

    private static ConsumerProject Loans(PackagesFixture packages, string name, string? pinnedManifest = null, int rows = 600, string? manifest = null)
    {
        var project = new ConsumerProject(packages, name);
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(rows, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/LoanApproval.mlmodel.json", pinnedManifest ?? manifest ?? ConsumerData.LoanManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");
        return project;
    }

    [Fact]
    public void Each_kind_of_edit_triggers_exactly_the_work_it_should()
    {
        using var project = Loans(packages, "Edits");
        var onnx = project.PathOf("obj/mlops/LoanApproval/model.onnx");
        project.Verify(nameof(Each_kind_of_edit_triggers_exactly_the_work_it_should), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.Contains(Trained, first.Output);
            var hash = project.ModelHash("LoanApproval");
            var written = File.GetLastWriteTimeUtc(onnx);

            project.Write("Program.cs", project.Read("Program.cs") + "\n// an unrelated edit\n");
            var afterCode = project.Build();
            Assert.True(afterCode.Succeeded, afterCode.Output);
            Assert.Contains(UpToDate, afterCode.Output);
            Assert.DoesNotContain(Trained, afterCode.Output);

            var manifest = project.Read("Models/LoanApproval.mlmodel.json");
            project.Write("Models/LoanApproval.mlmodel.json",
                manifest.Replace("\"seed\": 3", "\"seed\": 3,\n  // reviewed 2026-11\n  \"gates\": [ { \"metric\": \"AreaUnderRocCurve\", \"min\": 0.5 } ]"));
            var afterGates = project.Build();
            Assert.True(afterGates.Succeeded, afterGates.Output);
            Assert.Contains(UpToDate, afterGates.Output);
            Assert.Contains("MLOPS3004: LoanApproval passed its gates: AreaUnderRocCurve", afterGates.Output);

            // A gate above what the model reaches fails the build at that gate, without retraining.
            var strict = project.Read("Models/LoanApproval.mlmodel.json").Replace("\"min\": 0.5", "\"min\": 0.999");
            project.Write("Models/LoanApproval.mlmodel.json", strict);
            var failedGate = project.Build();
            Assert.False(failedGate.Succeeded);
            var gate = Assert.Single(failedGate.WithCode("MLOPS3001"));
            Assert.Equal((project.PathOf("Models/LoanApproval.mlmodel.json"), 13, 14), (gate.File, gate.Line, gate.Column));
            Assert.Contains("below the gate's min 0.999 (missed by", gate.Message);
            Assert.DoesNotContain(Trained, failedGate.Output);
            project.Write("Models/LoanApproval.mlmodel.json", strict.Replace("\"min\": 0.999", "\"min\": 0.5"));

            File.SetLastWriteTimeUtc(project.PathOf("Models/data/loans-train.csv"), DateTime.UtcNow.AddMinutes(5));
            var afterTouch = project.Build();
            Assert.True(afterTouch.Succeeded, afterTouch.Output);
            Assert.Contains(UpToDate, afterTouch.Output);
            Assert.Equal(written, File.GetLastWriteTimeUtc(onnx));

            project.Write("Models/LoanApproval.mlmodel.json", project.Read("Models/LoanApproval.mlmodel.json").Replace("\"NumberOfTrees\": 50", "\"NumberOfTrees\": 60"));
            var afterOptions = project.Build();
            Assert.True(afterOptions.Succeeded, afterOptions.Output);
            Assert.Contains(Trained, afterOptions.Output);
            Assert.NotEqual(hash, project.ModelHash("LoanApproval"));
            Assert.Single(afterOptions.WithCode("MLOPS3009"));

            // The retrained model is not the accepted one: a CI build refuses it until it is accepted.
            var lockFile = project.PathOf("Models/LoanApproval.mlmodel.lock.json");
            var ci = project.Build("ContinuousIntegrationBuild=true");
            Assert.False(ci.Succeeded);
            Assert.Equal(lockFile, Assert.Single(ci.WithCode("MLOPS3008")).File);
            Assert.DoesNotContain(Trained, ci.Output);
            var accepted = project.Build("MLOpsUpdateLock=true");
            Assert.Single(accepted.WithCode("MLOPS3006"));
            Assert.Contains(project.ModelHash("LoanApproval"), File.ReadAllText(lockFile));
            Assert.True(project.Build("ContinuousIntegrationBuild=true").Succeeded);
        });
    }

    [Fact]
    public void A_target_added_to_MLOpsTrainModelsDependsOn_runs_first_and_clean_removes_every_artifact()
    {
        using var project = Loans(packages, "Habits");
        project.ExtraProjectXml = """
              <PropertyGroup>
                <MLOpsTrainModelsDependsOn>$(MLOpsTrainModelsDependsOn);PrepareLoanData</MLOpsTrainModelsDependsOn>
              </PropertyGroup>
              <Target Name="PrepareLoanData">
                <Message Importance="high" Text="preparing loan data" />
              </Target>
            """;
        project.SetModels("Models/LoanApproval.mlmodel.json");
        project.Verify(nameof(A_target_added_to_MLOpsTrainModelsDependsOn_runs_first_and_clean_removes_every_artifact), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            Assert.True(build.Output.IndexOf("preparing loan data", StringComparison.Ordinal) < build.Output.IndexOf(Trained, StringComparison.Ordinal), build.Output);
            var artifacts = project.PathOf("obj/mlops/LoanApproval");
            Assert.True(File.Exists(Path.Combine(artifacts, "model.onnx")));
            Assert.True(File.Exists(project.PathOf("obj/mlops/report.html")));

            var clean = DotNet.Run(project.Root, null, "clean", "-nodeReuse:false");
            Assert.True(clean.Succeeded, clean.Output);
            Assert.Empty(Directory.Exists(artifacts) ? Directory.GetFiles(artifacts).Select(Path.GetFileName) : []);
            Assert.False(File.Exists(project.PathOf("obj/mlops/report.html")), "dotnet clean left the report behind");
            // The accepted model is committed next to the manifest: clean never touches it.
            Assert.True(File.Exists(project.PathOf("Models/LoanApproval.mlmodel.lock.json")));
        });
    }

    [Fact]
    public void Clean_builds_in_two_folders_give_one_model_a_warm_cache_skips_training_and_a_damaged_entry_is_rebuilt()
    {
        using var first = Loans(packages, "CleanA");
        first.Build("MLOpsUpdateLock=true");
        var pinned = first.Read("Models/LoanApproval.mlmodel.json");
        using var second = Loans(packages, "CleanB", pinned);
        using var warm = Loans(packages, "Warm", pinned);
        warm.CacheDirectory = first.CacheDirectory;
        using var damaged = Loans(packages, "Damaged", pinned);
        damaged.CacheDirectory = first.CacheDirectory;

        first.Verify(nameof(Clean_builds_in_two_folders_give_one_model_a_warm_cache_skips_training_and_a_damaged_entry_is_rebuilt), () =>
        {
            var hash = first.ModelHash("LoanApproval");

            var clean = second.Build("MLOpsCacheEnabled=false");
            Assert.Contains(Trained, clean.Output);
            Assert.Equal(hash, second.ModelHash("LoanApproval"));
            Assert.Equal(first.Read("obj/mlops/LoanApproval/metrics.json"), second.Read("obj/mlops/LoanApproval/metrics.json"));

            var restored = warm.Build();
            Assert.True(restored.Succeeded, restored.Output);
            Assert.Contains("MLOPS2013: LoanApproval restored from the artifact cache", restored.Output);
            Assert.DoesNotContain(Trained, restored.Output);
            Assert.Equal(hash, warm.ModelHash("LoanApproval"));

            var entry = Directory.GetDirectories(first.CacheDirectory, "*", SearchOption.AllDirectories).Single(d => File.Exists(Path.Combine(d, "entry.json")));
            var cachedModel = Path.Combine(entry, "model.onnx");
            File.WriteAllBytes(cachedModel, File.ReadAllBytes(cachedModel)[..100]);
            var rebuilt = damaged.Build();
            Assert.True(rebuilt.Succeeded, rebuilt.Output);
            Assert.Single(rebuilt.WithCode("MLOPS2014"));
            Assert.Contains(Trained, rebuilt.Output);
            Assert.Equal(hash, damaged.ModelHash("LoanApproval"));
            Assert.Equal(hash, ConsumerProject.Sha256(cachedModel));
        });
    }

    [Fact]
    public void Retraining_on_worse_data_fails_the_change_gate_against_the_committed_lock_with_the_interval_on_the_same_test_rows()
    {
        // "significant": the gate fails only when the paired bootstrap interval on the same test rows says the drop is real.
        var gated = ConsumerData.LoanManifest.Replace("\"seed\": 3", "\"seed\": 3,\n  \"gates\": [ { \"metric\": \"AreaUnderRocCurve\", \"maxDecrease\": \"2%\", \"significant\": true } ]");
        using var project = Loans(packages, "Worse", manifest: gated);
        var lockFile = project.PathOf("Models/LoanApproval.mlmodel.lock.json");
        project.Verify(nameof(Retraining_on_worse_data_fails_the_change_gate_against_the_committed_lock_with_the_interval_on_the_same_test_rows), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Single(first.WithCode("MLOPS3006"));
            Assert.Single(first.WithCode("MLOPS3003"));
            var accepted = File.ReadAllText(lockFile);

            // Half the training labels flipped: a worse model from "new data".
            var lines = ConsumerData.Loans(600, seed: 11).Split('\n');
            var noisy = lines.Select((line, i) => i > 0 && i % 2 == 0 && line.Length > 0
                ? (line.EndsWith(",yes", StringComparison.Ordinal) ? line[..^4] + ",no" : line[..^3] + ",yes")
                : line);
            project.Write("Models/data/loans-train.csv", string.Join('\n', noisy));
            var worse = project.Build("MLOpsUpdateLock=true");

            Assert.False(worse.Succeeded);
            Assert.Contains(Trained, worse.Output);
            var gate = Assert.Single(worse.WithCode("MLOPS3005"));
            Assert.Equal((project.PathOf("Models/LoanApproval.mlmodel.json"), 12, 14), (gate.File, gate.Line, gate.Column));
            Assert.Contains("AreaUnderRocCurve fell from", gate.Message);
            Assert.Contains("(worse); the gate allows a decrease of 2%", gate.Message);
            // The accepted model, kept from the artifacts before retraining, scored this build's test rows too.
            Assert.Matches(@"On the same \d+ test rows the accepted model measures [\d.]+ and this one [\d.]+: -[\d.]+ \(95% interval -[\d.]+ to -[\d.]+\), more than noise\.$", gate.Message);
            Assert.True(File.Exists(project.PathOf("obj/mlops/LoanApproval/comparison.json")));
            Assert.Contains("on the same", File.ReadAllText(project.PathOf("obj/mlops/LoanApproval/report.md")));
            Assert.Equal(accepted, File.ReadAllText(lockFile));
        });
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_trainer_killed_mid_run_leaves_nothing_trusted_and_the_next_build_trains_again()
    {
        var slow = ConsumerData.LoanManifest.Replace("\"NumberOfTrees\": 50", "\"NumberOfTrees\": 2000");
        using var project = Loans(packages, "Killed", rows: 20000, manifest: slow);
        project.Verify(nameof(A_trainer_killed_mid_run_leaves_nothing_trusted_and_the_next_build_trains_again), () =>
        {
            // Pins the data; the one-second timeout stops this first training early.
            project.Build("MLOpsUpdateLock=true", "MLOpsTrainerTimeout=1", "MLOpsCacheEnabled=false");

            using var build = project.StartBuild("MLOpsCacheEnabled=false");
            var killed = KillTrainerOf(project.Root, TimeSpan.FromMinutes(3));
            var interrupted = ConsumerProject.ToBuildResult(build.Wait(TimeSpan.FromMinutes(5)));

            Assert.True(killed, "the trainer process was never seen");
            Assert.False(interrupted.Succeeded);
            Assert.Single(interrupted.WithCode("MLOPS2001"));
            Assert.False(File.Exists(project.PathOf("obj/mlops/LoanApproval/fingerprint.txt")));

            var next = project.Build("MLOpsCacheEnabled=false");
            Assert.True(next.Succeeded, next.Output);
            Assert.Contains(Trained, next.Output);
        });
    }

    [Fact]
    public void A_trainer_over_its_timeout_is_stopped_with_MLOPS2003()
    {
        var slow = ConsumerData.LoanManifest.Replace("\"NumberOfTrees\": 50", "\"NumberOfTrees\": 2000");
        using var project = Loans(packages, "Timeout", rows: 20000, manifest: slow);
        project.Verify(nameof(A_trainer_over_its_timeout_is_stopped_with_MLOPS2003), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true", "MLOpsTrainerTimeout=1", "MLOpsCacheEnabled=false");
            Assert.False(build.Succeeded);
            Assert.Single(build.WithCode("MLOPS2003"));
            Assert.False(File.Exists(project.PathOf("obj/mlops/LoanApproval/fingerprint.txt")));
        });
    }

    [Fact]
    public void Design_time_builds_never_train()
    {
        using var project = Loans(packages, "DesignTime");
        project.Verify(nameof(Design_time_builds_never_train), () =>
        {
            var pinned = project.Build("MLOpsUpdateLock=true");
            Assert.True(pinned.Succeeded, pinned.Output);
            var onnx = project.PathOf("obj/mlops/LoanApproval/model.onnx");
            var trained = File.ReadAllBytes(onnx);
            // The model is now stale (another seed): a full build would train it; the IDE's design-time build must not,
            // and must still succeed (it resolves, and the compiler sees the last model's generated class).
            File.WriteAllText(project.PathOf("Models/LoanApproval.mlmodel.json"), project.Read("Models/LoanApproval.mlmodel.json").Replace("\"seed\": 3", "\"seed\": 4", StringComparison.Ordinal));

            var build = project.Build("DesignTimeBuild=true");

            Assert.True(build.Succeeded, build.Output);
            Assert.DoesNotContain("MLOPS2010", build.Output);
            Assert.Equal(trained, File.ReadAllBytes(onnx));
        });
    }

    [Fact]
    public void A_multi_targeted_project_trains_once()
    {
        using var project = Loans(packages, "MultiTarget");
        project.TargetFrameworks = "net8.0;net10.0";
        project.SetModels("Models/LoanApproval.mlmodel.json");
        project.Verify(nameof(A_multi_targeted_project_trains_once), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            Assert.Single(build.Output.Split('\n'), line => line.Contains(Trained, StringComparison.Ordinal));
            Assert.Contains("embedded LoanApproval", project.RunApp().Output);
        });
    }

    [Fact]
    public void A_parallel_solution_build_of_projects_sharing_a_cache_succeeds_with_identical_models()
    {
        using var solution = new ConsumerProject(packages, "Solution");
        var projects = new[] { "Alpha", "Beta", "Gamma" };
        foreach (var name in projects)
        {
            solution.Write($"{name}/Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
            solution.Write($"{name}/Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
            solution.Write($"{name}/Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
            solution.Write($"{name}/Program.cs", solution.Read("Program.cs"));
            solution.Write($"{name}/{name}.csproj", solution.Read("Solution.csproj").Replace("</ItemGroup>\n</Project>", "  <MLModel Include=\"Models/LoanApproval.mlmodel.json\" />\n  </ItemGroup>\n</Project>"));
        }
        File.Delete(solution.PathOf("Solution.csproj"));
        File.Delete(solution.PathOf("Program.cs"));
        Assert.True(DotNet.Run(solution.Root, null, "new", "sln", "--format", "sln", "-n", "All").Succeeded);
        Assert.True(DotNet.Run(solution.Root, null, ["sln", "All.sln", "add", .. projects.Select(p => $"{p}/{p}.csproj")]).Succeeded);

        solution.Verify(nameof(A_parallel_solution_build_of_projects_sharing_a_cache_succeeds_with_identical_models), () =>
        {
            using var running = solution.StartBuildOf(solution.Root, ["MLOpsUpdateLock=true"], "All.sln", "-m:3");
            var build = ConsumerProject.ToBuildResult(running.Wait(TimeSpan.FromMinutes(10)));
            Assert.True(build.Succeeded, build.Output);
            var hashes = projects.Select(p => ConsumerProject.Sha256(solution.PathOf($"{p}/obj/mlops/LoanApproval/model.onnx"))).Distinct();
            Assert.Single(hashes);
        });
    }

    /// <summary>Waits for this project's trainer process and kills it (SIGKILL), as a crash or an OOM kill would.</summary>
    private static bool KillTrainerOf(string projectRoot, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var directory in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    continue;
                }
                string commandLine;
                try
                {
                    commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }
                if (commandLine.Contains("MLOps.Build.Trainer.dll", StringComparison.Ordinal) && commandLine.Contains(projectRoot, StringComparison.Ordinal))
                {
                    // Let it get into training, past process start-up.
                    Thread.Sleep(1500);
                    try
                    {
                        System.Diagnostics.Process.GetProcessById(pid).Kill();
                        return true;
                    }
                    catch (ArgumentException)
                    {
                        return false;
                    }
                }
            }
            Thread.Sleep(50);
        }
        return false;
    }
}

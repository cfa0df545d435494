using MLOps.Build.Testing;
using MLOps.Build.Artifacts;
using Microsoft.Build.Utilities;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Train;

/// <summary>
/// The task against stand-in trainers (shell scripts launched in place of <c>dotnet</c>): whatever the
/// trainer does, the build sees a coded diagnostic and never trusts partial artifacts.
/// Stand-in trainers are POSIX shell scripts, so these tests need a Unix-like system.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(TestTiers.Trait, TestTiers.ChildProcess)]
public sealed class TrainModelsTaskTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _repo.Dispose();

    private string ArtifactsDirectory => Path.Combine(_repo.Root, "obj", "mlops", "M");

    private bool Run(string script, int timeoutSeconds = 60, string fingerprint = "fp1", string? runsDirectory = null)
    {
        var host = StandInTrainer.Write(_repo, script);
        var item = new TaskItem(Path.Combine(_repo.Root, "M.mlmodel.json"));
        item.SetMetadata("ModelName", "M");
        item.SetMetadata("Fingerprint", fingerprint);
        item.SetMetadata("ArtifactsDirectory", ArtifactsDirectory);
        item.SetMetadata("RepositoryRoot", _repo.Root);
        var task = new Tasks.TrainModels
        {
            BuildEngine = _engine,
            Models = [item],
            TrainerAssembly = host,
            DotnetHost = StandInTrainer.Launcher,
            TimeoutSeconds = timeoutSeconds,
            RunsDirectory = runsDirectory,
        };
        return task.Execute();
    }

    private void WriteArtifacts(string fingerprint)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        foreach (var name in new[] { "model.onnx", "modelcard.json", "metrics.json" })
        {
            File.WriteAllText(Path.Combine(ArtifactsDirectory, name), "x");
        }
        File.WriteAllText(Path.Combine(ArtifactsDirectory, "fingerprint.txt"), fingerprint + "\n");
    }

    [Fact]
    public void The_node_is_yielded_while_the_trainer_runs_and_taken_back_after()
    {
        Assert.False(Run("echo training-now; exit 1"));

        var events = _engine.Events;
        Assert.True(events.IndexOf("yield") < events.IndexOf("training-now") && events.IndexOf("training-now") < events.IndexOf("reacquire"),
            string.Join(" | ", events));
        Assert.Equal(1, events.Count(e => e == "yield"));
        Assert.Equal(1, events.Count(e => e == "reacquire"));
    }

    [Fact]
    public void Progress_lines_become_low_importance_MLOPS2016_messages()
    {
        var line = new MLOps.Build.Progress.ProgressLine("M", "train", "training LightGbm on 3,000,000 rows", 0, 0, TimeSpan.FromSeconds(4.25)).ToString();

        Run($"printf '%s\\n' '{line}'; exit 1");

        var progress = Assert.Single(_engine.Messages, m => m.Code == "MLOPS2016");
        Assert.Equal(("M: training LightGbm on 3,000,000 rows (4.3 s)", Microsoft.Build.Framework.MessageImportance.Low), (progress.Message, progress.Importance));
        Assert.DoesNotContain(_engine.Messages, m => m.Message.Contains("mlops-progress", StringComparison.Ordinal));
    }

    [Fact]
    public void Counted_progress_says_how_far_along_and_about_how_long_is_left()
    {
        var line = new MLOps.Build.Progress.ProgressLine("M", "trial", "LightGbm {NumberOfLeaves: 9}: MacroAccuracy 0.51", 3, 12, TimeSpan.FromSeconds(6));

        Assert.Equal("M: trial 3/12: LightGbm {NumberOfLeaves: 9}: MacroAccuracy 0.51 (6.0 s, about 18 s left)", line.Describe());
        Assert.Equal("M: trial 12/12: done (9.0 s)", (line with { Step = 12, Message = "done", Elapsed = TimeSpan.FromSeconds(9) }).Describe());
    }

    [Fact]
    public void Current_artifacts_skip_the_trainer()
    {
        WriteArtifacts("fp1");

        Assert.True(Run("echo started > " + Path.Combine(_repo.Root, "started") + "; exit 1"));

        Assert.False(File.Exists(Path.Combine(_repo.Root, "started")));
        Assert.Empty(_engine.Errors);
    }

    [Fact]
    public void Artifacts_of_another_fingerprint_are_invalidated_before_training()
    {
        WriteArtifacts("old");

        Assert.False(Run("exit 3"));

        Assert.False(File.Exists(Path.Combine(ArtifactsDirectory, "fingerprint.txt")));
    }

    [Fact]
    public void Errors_in_the_result_file_become_build_errors_at_their_location()
    {
        Assert.False(Run("""report '{"id":"MLOPS1031","severity":"error","path":"/data/t.csv","line":12,"column":5,"message":"bad cell"}'; exit 1"""));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1031", "/data/t.csv", 12, 5, "bad cell"), (error.Code, error.File, error.Line, error.Column, error.Message));
    }

    [Fact]
    public void Output_shaped_like_an_error_is_only_a_message_when_the_result_says_success()
    {
        // A column or cell echoed in a progress message must not fail the build, nor an error hide in plain output.
        Assert.True(Run(WritesArtifacts("fp1", FixtureCard) + "; echo '/data/t.csv(1,1): error MLOPS1031: a cell'; succeed"),
            string.Join(" | ", _engine.Errors.Select(e => $"{e.Code}: {e.Message}")));

        Assert.Empty(_engine.Errors);
        Assert.Contains(_engine.Messages, m => m.Message == "/data/t.csv(1,1): error MLOPS1031: a cell");
    }

    [Fact]
    public void Informational_results_are_coded_messages_at_their_manifest_like_the_tasks_own()
    {
        Assert.True(Run(WritesArtifacts("fp1", FixtureCard) +
            """; printf '{"protocol":1,"succeeded":true,"diagnostics":[{"id":"MLOPS2010","severity":"info","path":"M.mlmodel.json","line":0,"column":0,"message":"M: trained"}]}' > "$result" """));

        var message = Assert.Single(_engine.Messages, m => m.Code == "MLOPS2010");
        Assert.Equal(("M.mlmodel.json", "M: trained"), (message.File, message.Message));
    }

    [Theory]
    [InlineData("exit 0", "exit code 0 without writing its result")]
    [InlineData("printf '{\"protocol\":1,\"succeeded\":tr' > \"$result\"; exit 0", "exit code 0 without writing its result")]
    [InlineData("printf '{\"protocol\":99,\"succeeded\":true,\"diagnostics\":[]}' > \"$result\"; exit 0", "exit code 0 without writing its result")]
    [InlineData("report ''; exit 1", "exit code 1 without reporting an error")]
    [InlineData("succeed; exit 1", "exit code 1 without reporting an error")]
    public void A_run_without_a_whole_result_or_without_its_error_is_MLOPS2001(string script, string expected)
    {
        Assert.False(Run(WritesArtifacts("fp1", FixtureCard) + "; " + script));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS2001", error.Code);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_result_file_is_removed_after_the_run()
    {
        var seen = Path.Combine(_repo.Root, "result-path");

        Run($"echo \"$result\" > '{seen}'; succeed; exit 1");

        var resultPath = File.ReadAllText(seen).Trim();
        Assert.StartsWith(Path.GetTempPath(), resultPath);
        Assert.False(File.Exists(resultPath));
    }

    [Fact]
    public void A_crash_without_a_diagnostic_is_MLOPS2001_with_the_tail_of_stderr()
    {
        Assert.False(Run("echo 'Unhandled exception. System.Boom' >&2; exit 134"));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS2001", error.Code);
        Assert.Contains("exit code 134", error.Message);
        Assert.Contains("System.Boom", error.Message);
    }

    [Fact]
    public void Success_without_complete_artifacts_is_not_trusted()
    {
        Assert.False(Run("succeed; exit 0"));
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS2001", error.Code);
        Assert.Contains("without writing complete artifacts", error.Message);
    }

    [Fact]
    public void Each_model_that_leaves_incomplete_artifacts_is_reported_even_after_another_failed()
    {
        // The stand-in crashes for the first model and exits cleanly, writing nothing, for the second.
        var host = StandInTrainer.Write(_repo, "case \"$*\" in *First*) echo boom >&2; exit 3;; esac\nsucceed; exit 0");
        TaskItem Item(string name)
        {
            var item = new TaskItem(Path.Combine(_repo.Root, name + ".mlmodel.json"));
            item.SetMetadata("ModelName", name);
            item.SetMetadata("Fingerprint", "fp");
            item.SetMetadata("ArtifactsDirectory", Path.Combine(_repo.Root, "obj", name));
            return item;
        }
        var task = new Tasks.TrainModels { BuildEngine = _engine, Models = [Item("First"), Item("Second")], TrainerAssembly = host, DotnetHost = StandInTrainer.Launcher };

        Assert.False(task.Execute());

        Assert.Equal(
            [(Path.Combine(_repo.Root, "First.mlmodel.json"), "MLOPS2001"), (Path.Combine(_repo.Root, "Second.mlmodel.json"), "MLOPS2001")],
            _engine.Errors.Select(e => (e.File!, e.Code!)));
        Assert.Contains("without writing complete artifacts", _engine.Errors.Last().Message);
    }

    [Fact]
    public void A_trainer_over_the_timeout_is_stopped_with_MLOPS2003()
    {
        var started = DateTime.UtcNow;

        Assert.False(Run("exec sleep 30", timeoutSeconds: 1));

        Assert.Equal("MLOPS2003", Assert.Single(_engine.Errors).Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_trainer_over_the_timeout_is_stopped_with_the_processes_it_started()
    {
        var pidFile = Path.Combine(_repo.Root, "worker.pid");

        // The child lets go of the trainer's output, as a sweep worker with its own pipes does.
        Assert.False(Run($"sleep 120 >/dev/null 2>&1 & echo $! > '{pidFile}'; exec sleep 30", timeoutSeconds: 1));

        var worker = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WaitUntilGone(worker), $"process {worker} started by the trainer is still running");
    }

    private static bool WaitUntilGone(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                if (process.HasExited)
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                return true;
            }
            Thread.Sleep(100);
        }
        return false;
    }

    [Fact]
    public void A_missing_trainer_is_MLOPS2002()
    {
        var item = new TaskItem(Path.Combine(_repo.Root, "M.mlmodel.json"));
        item.SetMetadata("Fingerprint", "fp");
        item.SetMetadata("ArtifactsDirectory", ArtifactsDirectory);
        var task = new Tasks.TrainModels { BuildEngine = _engine, Models = [item], TrainerAssembly = "/nope/trainer.dll" };

        Assert.False(task.Execute());
        Assert.Equal("MLOPS2002", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void Successful_training_is_reported()
    {
        var script = $"mkdir -p '{ArtifactsDirectory}'; for f in model.onnx modelcard.json metrics.json; do echo x > '{ArtifactsDirectory}'/$f; done; " +
                     $"echo fp1 > '{ArtifactsDirectory}/fingerprint.txt'; echo 'MLOPS2010: M: trained'; succeed";

        Assert.True(Run(script));

        Assert.Empty(_engine.Errors);
        Assert.Contains(_engine.Messages, m => m.Message == "MLOPS2010: M: trained");
    }

    private static readonly string FixtureCard = Path.Combine(typeof(TrainModelsTaskTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!, "tests", "Fixtures", "Models", "ChurnModel", "modelcard.json");

    private string WritesArtifacts(string fingerprint, string card) =>
        $"mkdir -p '{ArtifactsDirectory}'; for f in model.onnx metrics.json; do echo x > '{ArtifactsDirectory}'/$f; done; " +
        $"cp '{card}' '{ArtifactsDirectory}/modelcard.json'; echo {fingerprint} > '{ArtifactsDirectory}/fingerprint.txt'";

    private string TrainsSuccessfully(string fingerprint, string card) => WritesArtifacts(fingerprint, card) + "; succeed";

    [Fact]
    public void Each_training_run_appends_one_line_to_the_model_history_with_the_commit_it_was_built_from()
    {
        const string Commit = "0123456789abcdef0123456789abcdef01234567";
        _repo.Write(".git/HEAD", "ref: refs/heads/main\n");
        _repo.Write(".git/refs/heads/main", Commit + "\n");
        var runs = Path.Combine(_repo.Root, "runs");

        Assert.True(Run(TrainsSuccessfully("fp1", FixtureCard), runsDirectory: runs));
        Assert.True(Run(TrainsSuccessfully("fp2", FixtureCard), fingerprint: "fp2", runsDirectory: runs));
        Assert.True(Run("exit 1", fingerprint: "fp2", runsDirectory: runs)); // up to date: not a run

        var history = RunHistory.PathFor(runs, _repo.Root, "ChurnModel");
        Assert.StartsWith(Path.Combine(runs, Path.GetFileName(_repo.Root) + "-"), history);
        var records = RunHistory.Read(history);
        Assert.Equal(["fp1", "fp2"], records.Select(r => r.Fingerprint));
        var card = ArtifactJson.Read(FixtureCard, ArtifactJson.ModelCard);
        Assert.All(records, r => Assert.Equal((Commit, "FastTree", card.Onnx.Sha256, card.Metrics["AreaUnderRocCurve"]), (r.Commit, r.Trainer, r.ModelSha256, r.Metrics["AreaUnderRocCurve"])));
        Assert.Equal(card.Data!.Train.Sha256, records[0].Data["data.train"]);
    }

    [Fact]
    public void A_history_that_cannot_be_written_is_MLOPS2023_and_the_build_still_succeeds()
    {
        var runs = _repo.Write("runs", "a file where the runs folder should be");

        Assert.True(Run(TrainsSuccessfully("fp1", FixtureCard), runsDirectory: runs));

        var message = Assert.Single(_engine.Messages, m => m.Code == "MLOPS2023");
        Assert.StartsWith("The run history of M was not written: ", message.Message);
        Assert.Empty(_engine.Errors);
    }
}

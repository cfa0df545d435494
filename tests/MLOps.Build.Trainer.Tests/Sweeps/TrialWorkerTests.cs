using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Sweeps.Workers;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>Worker processes: the same record as in process, and a worker that cannot work never loses a trial.</summary>
public sealed class TrialWorkerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ModelManifest _manifest;
    private readonly TrialEvaluator _local;
    private readonly TrialConfig _config;

    public TrialWorkerTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(80, seed: 2));
        var path = _folder.Write("Penguins.mlmodel.json", """
            {
              "name": "Penguins", "task": "multiclass", "label": "species",
              "data": { "train": "train.csv", "test": "test.csv" },
              "exclude": ["id", "heavy", "bill depth"],
              "sweep": { "trials": 2, "folds": 2, "trainers": ["LightGbm"] },
              "seed": 3
            }
            """);
        var diagnostics = new DiagnosticBag();
        _manifest = ManifestParser.ParseFile(path, diagnostics)!;
        _local = new TrialEvaluator(_manifest, new ManifestTraining(diagnostics).Read(_manifest)!.Value.Train);
        var space = SearchSpaces.Resolve(_manifest, diagnostics)!;
        _config = TrialSampler.Random(space, _manifest.Seed).First();
        Assert.Empty(diagnostics.Items);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_worker_process_returns_the_record_this_process_computes()
    {
        using var worker = TrialWorker.TryStart(_manifest.Path, processors: 1, out var problem);
        Assert.True(worker is not null, problem);

        var remote = worker.Evaluate(_config, "fp-1");
        var again = worker.Evaluate(_config with { Index = 5 }, "fp-5");

        var local = _local.Evaluate(_config, "fp-1");
        Assert.True(remote is not null, worker.Errors);
        Assert.Equal(ArtifactJson.Line(local with { DurationMilliseconds = 0 }, ArtifactJson.TrialRecord),
            ArtifactJson.Line(remote with { DurationMilliseconds = 0 }, ArtifactJson.TrialRecord));
        Assert.Equal((5, "fp-5"), (again!.Index, again.Fingerprint));
    }

    [Theory]
    [InlineData(16, 16, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(16, 3, 5)]
    [InlineData(2, 8, 1)]
    [InlineData(1, 1, 1)]
    public void A_worker_is_told_its_share_of_the_machines_processors(int machine, int parallelism, int expected) =>
        Assert.Equal(expected, TrialWorkerPool.WorkerProcessors(machine, parallelism));

    [Fact]
    public void A_worker_process_runs_with_the_processor_count_it_is_given()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the worker's environment is read from /proc
        }
        using var worker = TrialWorker.TryStart(_manifest.Path, processors: 3, out var problem);
        Assert.True(worker is not null, problem);
        // A trial first: read at once, /proc/<pid>/environ can be empty while the new process is still being exec'd
        // (seen once in CI as [""]); once it has answered, it is the worker's own environment.
        Assert.NotNull(worker.Evaluate(_config, "fp-1"));

        var environment = File.ReadAllText($"/proc/{worker.ProcessId}/environ").Split('\0');

        Assert.Contains($"{TrialWorker.ProcessorCountVariable}=3", environment);
        Assert.Single(environment, e => e.StartsWith(TrialWorker.ProcessorCountVariable + "=", StringComparison.Ordinal));
    }

    [Fact]
    public void Trials_of_a_worker_that_cannot_work_run_in_this_process_and_the_failure_is_logged()
    {
        var log = new List<string>();
        // The worker reads the manifest itself; one it cannot read makes it exit at once.
        var missing = _folder.PathOf("Gone.mlmodel.json");
        var pool = new TrialWorkerPool(missing, () => _local, parallelism: TrialWorkerPool.InProcessSlots + 1, message => { lock (log) { log.Add(message); } });
        var records = new TrialRecord[6];

        using (pool)
        {
            Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = TrialWorkerPool.InProcessSlots + 1 },
                i => records[i] = pool.Evaluate(_config with { Index = i }, "fp-" + i));
        }

        Assert.All(records, r => Assert.Equal(TrialRecord.Ok, r.Status));
        Assert.Equal(records.Select((_, i) => i), records.Select(r => r.Index));
        var message = Assert.Single(log);
        Assert.StartsWith($"Sweep worker {TrialWorkerPool.InProcessSlots} stopped; its trials run in the trainer itself from now on.", message);
        Assert.Contains("Gone.mlmodel.json", message);
    }
}

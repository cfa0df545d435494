using System.Collections.Concurrent;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Trainer.Sweeps.Workers;

/// <summary>
/// Where a sweep's trials run: for a parallelism of n, <see cref="InProcessSlots"/> thread of this process and n − 1
/// worker processes, each started the first time a trial needs it (a sweep whose trials are all cached starts none).
/// A worker that cannot start or dies hands its trials back to this process, so a parallel sweep is never less correct
/// than a serial one, only slower.
/// </summary>
public sealed class TrialWorkerPool : IDisposable
{
    /// <summary>
    /// Trials this process runs at once. ML.NET trains one FastTree and one LightGbm model per process at a time (static
    /// locks), so a second trial in the same process often waits for the first. Measured on 2 cores (24 LightGbm and
    /// FastTree trials, BenchmarkDotNet, each against one pinned core in the same run): one thread and one worker process
    /// 0.59× the pinned time, two threads 0.88×. Two threads won (0.57× against one thread and a worker's 0.76×) only
    /// while a trial on a thread outside the pool, as the main thread and a worker's were, paid for FastTree's hand-offs
    /// to the pool (Program.cs).
    /// </summary>
    public const int InProcessSlots = 1;

    /// <summary>
    /// The processors a worker's runtime is told the machine has: its share, the machine's divided by the trials that
    /// run at once (at least one). A worker runs one trial at a time on one thread; seeing every core, its thread pool
    /// woke and spun threads for each of FastTree's per-split hand-offs (Program.cs) on cores that the other trials
    /// needed. Measured on 2 cores, 24 trials, workers seeing 16 processors (as on a 16-core machine) against one: CPU
    /// seconds 7 % lower with 2 at a time, 17 % with 4 and with 8, the same model and trials (benchmarks/README.md,
    /// Sweeps). A trial's result does not depend on it (ProcessorCountTests). Not less than the share: a worker alone
    /// on spare cores with one processor seen ran its trials slower (FastTree's hand-offs then wait instead of spin).
    /// </summary>
    public static int WorkerProcessors(int machineProcessors, int parallelism) =>
        Math.Max(1, machineProcessors / Math.Max(1, parallelism));

    private readonly string _manifestPath;
    private readonly int _workerProcessors;
    private readonly Lazy<TrialEvaluator> _local;
    private readonly Action<string> _log;
    private readonly BlockingCollection<int> _free = [];
    private readonly Lazy<TrialWorker?>[] _workers;

    /// <param name="createLocal">The in-process evaluator, made when a trial first needs it: a sweep whose trials are all
    /// cached (a changed metric, a rebuild) prepares no data view.</param>
    /// <param name="log">Where a worker's failure is told (the trainer's standard error: build log details).</param>
    public TrialWorkerPool(string manifestPath, Func<TrialEvaluator> createLocal, int parallelism, Action<string> log)
    {
        _manifestPath = manifestPath;
        _local = new Lazy<TrialEvaluator>(createLocal);
        _log = log;
        var slots = Math.Max(1, parallelism);
        _workerProcessors = WorkerProcessors(Environment.ProcessorCount, slots);
        _workers = [.. Enumerable.Range(0, slots).Select(slot => new Lazy<TrialWorker?>(() => slot < InProcessSlots ? null : Start(slot)))];
        for (var slot = 0; slot < slots; slot++)
        {
            _free.Add(slot);
        }
    }

    /// <summary>Cross-validates on a free slot; blocks while all are busy.</summary>
    public TrialRecord Evaluate(TrialConfig config, string fingerprint)
    {
        var slot = _free.Take();
        try
        {
            if (slot >= InProcessSlots && _workers[slot].Value is { } worker)
            {
                if (worker.Evaluate(config, fingerprint) is { } record)
                {
                    return record;
                }
                _log($"Sweep worker {slot} stopped; its trials run in the trainer itself from now on. {worker.Errors}");
                worker.Dispose();
                _workers[slot] = new Lazy<TrialWorker?>(() => null);
            }
            return _local.Value.Evaluate(config, fingerprint);
        }
        finally
        {
            _free.Add(slot);
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers.Where(w => w.IsValueCreated))
        {
            worker.Value?.Dispose();
        }
        _free.Dispose();
    }

    private TrialWorker? Start(int slot)
    {
        var worker = TrialWorker.TryStart(_manifestPath, _workerProcessors, out var problem);
        if (worker is null)
        {
            _log($"Sweep worker {slot} could not start ({problem}); its trials run in the trainer itself.");
        }
        return worker;
    }
}

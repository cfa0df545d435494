using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Fingerprints;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Progress;
using MLOps.Build.Trainer.Sweeps.Workers;
using MLOps.Build.Trainer.Training;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>The sweep's winner and everything it found on the way.</summary>
/// <param name="Summary">What the model card keeps: reproducible facts only.</param>
public sealed record SweepResult(TrialConfig Best, TrialRecord BestRecord, SweepReport Report, SweepSummaryCard Summary);

/// <summary>
/// Runs a sweep: draws configurations (<see cref="TrialSampler"/>), cross-validates them concurrently on all cores
/// (each single-threaded, so results do not depend on scheduling), reuses every trial already in the
/// <see cref="TrialStore"/>, prunes with <see cref="HalvingSchedule"/> when asked, and picks the best by the sweep
/// metric, ties to the lower configuration number. A failed trial is recorded and skipped.
/// </summary>
public sealed class SweepRunner(ModelManifest manifest, TrainingTable train, string trainDataHash, string toolVersion,
    TrialStore store, TrainerProgress progress, int parallelism)
{
    private const int ListedFailures = 5;
    private readonly SweepSpec _sweep = manifest.Sweep!;
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentDictionary<int, TrialConfig> _configs = new();
    private int _finished;

    /// <summary>Configurations tried first: earlier sweeps' winners from the run history (<see cref="Sweeps.WarmStart"/>); none by default.</summary>
    public IReadOnlyList<TrialConfig> WarmStart { get; init; } = [];

    /// <summary>Run only this shard's configurations (<c>MLOpsSweepShard=2/4</c>: every fourth, from the second); null: all.</summary>
    public SweepShard? Shard { get; init; }

    public SweepResult? Run(IReadOnlyList<ResolvedSpace> spaces, DiagnosticBag diagnostics)
    {
        _clock.Restart();
        // The trainer's standard error is the build log's detail: a worker's failure slows the sweep but changes no result.
        using var evaluator = new TrialWorkerPool(manifest.Path, () => new TrialEvaluator(manifest, train), parallelism, Console.Error.WriteLine);
        var handSet = HandSet(spaces);
        var records = _sweep.Strategy switch
        {
            SweepStrategy.Halving => RunHalving(evaluator, spaces, handSet),
            SweepStrategy.Tpe or SweepStrategy.TpeHalving => RunTpe(evaluator, spaces, handSet),
            _ => Evaluate(evaluator, (_sweep.Strategy == SweepStrategy.Grid ? TrialSampler.Grid(spaces) : Drawn(spaces, handSet))
                .Take(_sweep.TrialBudget).Where(InShard), round: 0, rounds: 1, steps: _sweep.Strategy == SweepStrategy.Grid ? 0 : _sweep.Trials ?? 0),
        };

        foreach (var failed in records.Where(r => r.Status == TrialRecord.Failed).OrderBy(r => r.Index).Take(ListedFailures))
        {
            diagnostics.Add(D.TrialFailed, _sweep.Location, $"{manifest.Name}: trial {failed.Index} ({failed.Trainer}) failed and is skipped: {failed.Reason}");
        }
        var finalRound = records.Where(r => r.Status != TrialRecord.Failed).Select(r => r.Rung).DefaultIfEmpty(0).Max();
        var best = Ranked(records.Where(r => r.Rung == finalRound && r.Status != TrialRecord.Failed)).FirstOrDefault();
        if (best is null)
        {
            var reasons = records.Select(r => r.Reason).Distinct().Take(3);
            diagnostics.Add(D.EveryTrialFailed, _sweep.Location,
                records.Count == 0
                    ? $"The sweep of {manifest.Name} ran no trial within its time budget."
                    : $"Every one of the {records.Count} trials of {manifest.Name} failed, so there is no model to train: {string.Join(" | ", reasons)}");
            return null;
        }
        var config = _configs[best.Index];
        var report = Report(records, best);
        var summary = new SweepSummaryCard(_sweep.Strategy.ToName(), _sweep.Metric, _sweep.Folds, report.Counts.Configurations, report.Counts.Evaluations,
            report.Counts.Pruned, report.Counts.Failed, new SweepBestCard(best.Trainer, best.Options, best.Mean[_sweep.Metric], best.StandardDeviation[_sweep.Metric]));
        return new SweepResult(config, best, report, summary);
    }

    /// <summary>"Model: sweep of 60 trials (45 cached, 15 trained) in 41 s; best FastTree {…}: RSquared 0.861 ± 0.021 (5-fold)"; halving counts its evaluations too.</summary>
    public static string Describe(string model, SweepResult result)
    {
        var counts = result.Report.Counts;
        var metric = result.Summary.Metric;
        var extra = string.Concat(
            counts.Pruned > 0 ? $", {counts.Pruned} pruned" : "",
            counts.Failed > 0 ? $", {counts.Failed} failed" : "",
            counts.WarmStarted > 0 ? $"; {counts.WarmStarted} warm-started from earlier winners" : "");
        var from = counts.WarmStarted > 0 ? result.BestRecord.Index < counts.WarmStarted ? " (an earlier winner)" : " (new)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{model}: sweep of {counts.Configurations} trials{(counts.Evaluations != counts.Configurations ? $" in {counts.Evaluations} evaluations" : "")} ({counts.Cached} cached, {counts.Trained} trained{extra}) in {result.Report.ElapsedMilliseconds / 1000.0:0.#} s; " +
            $"best{from} {result.Best.Describe()}: {metric} {result.Summary.Best.Mean:0.####} ± {result.Summary.Best.StandardDeviation:0.####} ({result.Summary.Folds}-fold)");
    }

    private List<TrialRecord> RunHalving(TrialWorkerPool evaluator, IReadOnlyList<ResolvedSpace> spaces, TrialConfig? handSet)
    {
        var configurations = _sweep.Trials ?? SweepSpec.DefaultTrials;
        var alive = Drawn(spaces, handSet).Take(configurations).Where(InShard).ToList();
        // A shard runs its slice of the first round; the build that assembles the shards runs the later rounds.
        var rounds = Shard is null ? HalvingSchedule.Rounds(configurations) : 1;
        var total = Enumerable.Range(0, rounds).Aggregate((Count: configurations, Sum: 0), (acc, _) => (HalvingSchedule.Survivors(acc.Count), acc.Sum + acc.Count)).Sum;
        return Bracket(evaluator, alive, rounds, total, roundsSetResource: true, untilFullResource: false).Records;
    }

    /// <summary>
    /// Successive halving over <paramref name="configs"/>: each round evaluates the survivors with more of their
    /// resource and keeps the best third. Halving stops once one is left; tpe-halving takes every bracket to its last
    /// round (<paramref name="untilFullResource"/>), so that each batch's best are ranked on all of their resource.
    /// Incomplete when the time budget stopped a round. Plain tpe is one round that leaves the resource as proposed.
    /// </summary>
    private (List<TrialRecord> Records, bool Complete) Bracket(TrialWorkerPool evaluator, IReadOnlyList<TrialConfig> configs, int rounds, int steps, bool roundsSetResource, bool untilFullResource)
    {
        var alive = configs.ToList();
        var all = new List<TrialRecord>();
        for (var round = 0; round < rounds && alive.Count > 0; round++)
        {
            var evaluated = Evaluate(evaluator, roundsSetResource ? alive.Select(c => c.WithResource(ResourceOf(c, round, rounds))) : alive, round, rounds, steps);
            if (evaluated.Count < alive.Count)
            {
                all.AddRange(evaluated);
                return (all, false);
            }
            var finished = Ranked(evaluated.Where(r => r.Status != TrialRecord.Failed)).ToList();
            if (round == rounds - 1 || (!untilFullResource && finished.Count <= 1))
            {
                all.AddRange(evaluated);
                break;
            }
            var survivors = finished.Take(HalvingSchedule.Survivors(finished.Count)).Select(r => r.Index).ToHashSet();
            all.AddRange(evaluated.Select(r => r.Status == TrialRecord.Failed ? r : r with { Status = survivors.Contains(r.Index) ? TrialRecord.Promoted : TrialRecord.Pruned }));
            alive = alive.Where(c => survivors.Contains(c.Index)).ToList();
        }
        return (all, true);
    }

    /// <summary>
    /// Random configurations to start, then batches of <see cref="TpeSampler.BatchSize"/> proposed from every trial
    /// finished before the batch: a batch is evaluated whole before the next is proposed, so the configurations do not
    /// depend on how many run at once or which finishes first. With tpe-halving the start and each batch are brackets
    /// of successive halving with the same rounds, and the sampler learns from how far each configuration got. A shard
    /// runs its slice of the random start (its first round); the build that assembles the shards does the rest.
    /// </summary>
    private List<TrialRecord> RunTpe(TrialWorkerPool evaluator, IReadOnlyList<ResolvedSpace> spaces, TrialConfig? handSet)
    {
        var budget = _sweep.TrialBudget;
        var halving = _sweep.Strategy == SweepStrategy.TpeHalving;
        var rounds = halving ? HalvingSchedule.Rounds(TpeSampler.BatchSize) : 1;
        var steps = _sweep.Trials is { } trials ? TpeEvaluations(trials, rounds) : 0;
        var startup = Drawn(spaces, handSet).Take(Math.Min(budget, TpeSampler.StartupTrials)).ToList();
        if (Shard is not null)
        {
            return Evaluate(evaluator, startup.Where(InShard).Select(c => halving ? c.WithResource(ResourceOf(c, 0, rounds)) : c), round: 0, rounds, steps);
        }
        var (all, complete) = Bracket(evaluator, startup, rounds, steps, roundsSetResource: halving, untilFullResource: true);
        if (!complete)
        {
            return all;
        }
        var seen = startup.Select(c => (halving ? c.WithFullResource() : c).Key(0)).ToHashSet(StringComparer.Ordinal);
        var sampler = new TpeSampler(spaces, manifest.Seed) { RoundsSetResource = halving };
        var next = startup.Count;
        while (next < budget && !(_sweep.Time is { } time && _clock.Elapsed >= time))
        {
            var batch = sampler.Propose(next, Math.Min(TpeSampler.BatchSize, budget - next), Observations(all, rounds, halving), seen);
            if (batch.Count == 0)
            {
                break;
            }
            (var evaluated, complete) = Bracket(evaluator, batch, rounds, steps, roundsSetResource: halving, untilFullResource: true);
            all.AddRange(evaluated);
            next += batch.Count;
            if (!complete)
            {
                // The time budget stopped the batch.
                break;
            }
        }
        return all;
    }

    /// <summary>Each configuration's furthest round: its score there, oriented higher-is-better, and how many rounds it fell short.</summary>
    private Observation[] Observations(IEnumerable<TrialRecord> records, int rounds, bool halving) => records
        .Where(r => r.Status != TrialRecord.Failed)
        .GroupBy(r => r.Index)
        .Select(g => g.MaxBy(r => r.Rung)!)
        .Select(r => new Observation(halving ? _configs[r.Index].WithFullResource() : _configs[r.Index],
            HigherIsBetter ? r.Mean[_sweep.Metric] : -r.Mean[_sweep.Metric], rounds - 1 - r.Rung))
        .OrderBy(o => o.Config.Index)
        .ToArray();

    /// <summary>Evaluations a tpe sweep of <paramref name="trials"/> configurations makes: its start and batches, each a bracket of <paramref name="rounds"/>.</summary>
    private static int TpeEvaluations(int trials, int rounds)
    {
        var total = 0;
        for (var first = 0; first < trials;)
        {
            var count = Math.Min(trials - first, first == 0 ? TpeSampler.StartupTrials : TpeSampler.BatchSize);
            first += count;
            for (var round = 0; round < rounds; round++, count = HalvingSchedule.Survivors(count))
            {
                total += count;
            }
        }
        return total;
    }

    /// <summary>Random search's configurations, after the earlier winners when warm-started.</summary>
    private IEnumerable<TrialConfig> Drawn(IReadOnlyList<ResolvedSpace> spaces, TrialConfig? handSet) =>
        Sweeps.WarmStart.Before(WarmStart, TrialSampler.Random(spaces, manifest.Seed, handSet));

    private bool InShard(TrialConfig config) => Shard is not { } shard || config.Index % shard.Count == shard.Index - 1;

    private static long ResourceOf(TrialConfig config, int round, int rounds) => config.Space.Resource?.Domain is RangeDomain range
        ? HalvingSchedule.Resource(range.Min, range.Max, round, rounds)
        : 0;

    /// <summary>Cross-validates configurations on every core, cached ones from the store; stops starting new ones past the time budget.</summary>
    private List<TrialRecord> Evaluate(TrialWorkerPool evaluator, IEnumerable<TrialConfig> configs, int round, int rounds, int steps)
    {
        var results = new ConcurrentBag<TrialRecord>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) };
        // One configuration at a time per slot: the default chunking hands one slot several long trials at the end.
        Parallel.ForEach(Partitioner.Create(configs, EnumerablePartitionerOptions.NoBuffering), options, (config, state) =>
        {
            if (_sweep.Time is { } budget && _clock.Elapsed >= budget)
            {
                state.Stop();
                return;
            }
            _configs[config.Index] = config;
            var fingerprint = ModelFingerprint.ComputeTrial(manifest, trainDataHash, toolVersion, config.Key(_sweep.Folds));
            // A cached trial without the sweep metric's score (written by something else) is trained again.
            var record = store.TryGet(fingerprint) is { } cached && cached.Scores(_sweep.Metric)
                ? cached with { Index = config.Index, Rung = round, Cached = true }
                : evaluator.Evaluate(config, fingerprint) with { Rung = round };
            if (!record.Cached)
            {
                store.Put(record);
            }
            results.Add(record);
            var step = Interlocked.Increment(ref _finished);
            var outcome = record.Status == TrialRecord.Failed
                ? "failed"
                : $"{_sweep.Metric} {record.Mean[_sweep.Metric].ToString("0.####", CultureInfo.InvariantCulture)}";
            progress.Report("trial", $"{config.Describe()}{(rounds > 1 ? $" (round {round + 1}/{rounds})" : "")}: {outcome}{(record.Cached ? " (cached)" : "")}", step, steps);
        });
        return results.OrderBy(r => r.Index).ToList();
    }

    /// <summary>Best first by the sweep metric; ties to the lower configuration number.</summary>
    private IOrderedEnumerable<TrialRecord> Ranked(IEnumerable<TrialRecord> records) => HigherIsBetter
        ? records.OrderByDescending(r => r.Mean[_sweep.Metric]).ThenBy(r => r.Index)
        : records.OrderBy(r => r.Mean[_sweep.Metric]).ThenBy(r => r.Index);

    private bool HigherIsBetter => MetricCatalog.HigherIsBetter(manifest.Task, _sweep.Metric);

    /// <summary>The manifest's own <c>trainer</c>, when it has one beside the sweep: configuration 0.</summary>
    private TrialConfig? HandSet(IReadOnlyList<ResolvedSpace> spaces)
    {
        if (manifest.Trainer is not { } trainer || TrainerRegistry.Find(manifest.Task, trainer.Name) is not { } entry)
        {
            return null;
        }
        // A hand-set trainer the sweep does not otherwise try has no resource to grow: halving evaluates it as written.
        var space = spaces.FirstOrDefault(s => s.Trainer.Name == trainer.Name) ?? new ResolvedSpace(entry, trainer.NameLocation, [], null);
        var choice = TrainerChoice.FromManifest(trainer);
        return new TrialConfig(0, space, choice.Options.Select(o => (o.Name, o.Value)).ToArray());
    }

    private SweepReport Report(IReadOnlyList<TrialRecord> records, TrialRecord best)
    {
        // The leaderboard: the furthest round first, ranked within it (OrderBy is stable), then the failed trials.
        var ordered = Ranked(records.Where(r => r.Status != TrialRecord.Failed)).OrderByDescending(r => r.Rung)
            .Concat(records.Where(r => r.Status == TrialRecord.Failed).OrderByDescending(r => r.Rung).ThenBy(r => r.Index))
            .ToArray();
        var counts = new SweepCountsCard(
            Configurations: records.Where(r => r.Rung == 0).Select(r => r.Index).Distinct().Count(),
            Evaluations: records.Count,
            Cached: records.Count(r => r.Cached),
            Trained: records.Count(r => !r.Cached),
            Pruned: records.Count(r => r.Status == TrialRecord.Pruned),
            Failed: records.Count(r => r.Status == TrialRecord.Failed))
        {
            WarmStarted = records.Where(r => r.Rung == 0 && r.Index < WarmStart.Count).Select(r => r.Index).Distinct().Count(),
        };
        return new SweepReport(SweepReport.CurrentSchemaVersion, manifest.Name, _sweep.Metric, HigherIsBetter,
            _sweep.Strategy.ToName(), _sweep.Folds, new SweepBudgetCard(_sweep.Trials, _sweep.Time?.TotalSeconds), counts, _clock.ElapsedMilliseconds, best, ordered);
    }
}

using System.Globalization;
using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Benchmarks.EstimateAccuracy;
using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Progress;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// How many trials a model-based strategy (<c>"tpe"</c>, or <c>"tpe-halving"</c>) needs to match random search's best of
/// <see cref="RandomTrials"/> cross-validated configurations, on public data sets (<see cref="ShiftedDataSets"/>, all
/// their rows), per seed: <c>dotnet run -c Release --project benchmarks/MLOps.Build.Benchmarks -- sampler-study</c>.
/// Both sweeps run as the trainer runs them (its <c>SweepRunner</c>; the winner is not trained), sharing one trial cache
/// per seed, so a configuration both samplers try is evaluated once. Not a timing: trial counts.
/// </summary>
internal static class SamplerStudy
{
    public const int RandomTrials = 100;

    /// <summary>The two trainers searched unless <c>--every-trainer</c>: the manifest's default, every trainer of the task.</summary>
    private static readonly string[] Trainers = ["LightGbm", "FastTree"];

    public static int Run(TextWriter output, int seeds, string strategy, string[] dataSets, bool everyTrainer = false)
    {
        output.WriteLine($"| data set | task | rows | metric | {strategy}{(everyTrainer ? ", every trainer" : "")}: trials to match random's best of {RandomTrials}, by seed | median | to match its 3rd best, by seed | median | evaluations, by seed |");
        output.WriteLine("| --- | --- | ---: | --- | --- | ---: | --- | ---: | --- |");
        foreach (var data in ShiftedDataSets.All().Where(d => dataSets.Length == 0 || dataSets.Any(n => d.Name.StartsWith(n, StringComparison.OrdinalIgnoreCase))))
        {
            var counts = Enumerable.Range(1, seeds).Select(seed => Measure(data, seed, strategy, everyTrainer)).ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {data.Name} | {data.Task} | {data.Reference.Count + data.Shifted.Count:N0} | {counts[0].Metric} | {string.Join(", ", counts.Select(c => Trials(c.Trials)))} | {Median(counts.Select(c => c.Trials))} | {string.Join(", ", counts.Select(c => Trials(c.ThirdBestTrials)))} | {Median(counts.Select(c => c.ThirdBestTrials))} | {string.Join(", ", counts.Select(c => c.Evaluations))} |"));
            output.Flush();
        }
        return 0;
    }

    /// <summary>A count of trials, or "&gt;100" where the strategy did not match random search within as many.</summary>
    private static string Trials(int count) => count > RandomTrials ? $">{RandomTrials}" : count.ToString(CultureInfo.InvariantCulture);

    /// <summary>The upper median, as <see cref="Trials(int)"/> shows a count.</summary>
    private static string Median(IEnumerable<int> counts)
    {
        var sorted = counts.Order().ToArray();
        return Trials(sorted[sorted.Length / 2]);
    }

    /// <summary>
    /// The first configuration of the model-based sweep whose cross-validated metric, with all of its resource, is as
    /// good as random search's best of 100 (tpe-halving's configurations stopped after a round on fewer iterations do
    /// not count: their sweep could not pick them); the same for random search's third best, which says how soon the
    /// sweep reaches the best region without depending on the one luckiest fold split of 100; and the evaluations the
    /// sweep made up to the first.
    /// </summary>
    private static (int Trials, int ThirdBestTrials, string Metric, int Evaluations) Measure(ShiftedDataSet data, int seed, string strategy, bool everyTrainer)
    {
        // MLOPS_STUDY_CACHE keeps each data set and seed's trials between runs, so that trying a change to a sampler
        // evaluates only the configurations it proposes anew (random search's are the same every time). Only for
        // changes to the samplers: the trials' fingerprints do not know the trainer's code.
        var cache = Environment.GetEnvironmentVariable("MLOPS_STUDY_CACHE");
        var folder = cache is null
            ? Path.Combine(Path.GetTempPath(), "mlops-sampler-" + Guid.NewGuid().ToString("N")[..8])
            : Path.Combine(cache, data.Name + (everyTrainer ? "-every-trainer-" : "-") + seed);
        Directory.CreateDirectory(folder);
        foreach (var sweepOutput in Directory.GetDirectories(folder, "out-*"))
        {
            Directory.Delete(sweepOutput, recursive: true);
        }
        try
        {
            EstimateAccuracyStudy.Write(Path.Combine(folder, "data.csv"), data.Header, data.Reference.Concat(data.Shifted));
            var trials = Path.Combine(folder, "trials");
            var random = Sweep(folder, data, "random", seed, trials, everyTrainer);
            var model = Sweep(folder, data, strategy, seed, trials, everyTrainer);
            var ranked = random.Trials.Where(t => t.Status != TrialRecord.Failed).Select(t => t.Mean[random.Metric])
                .OrderBy(m => random.HigherIsBetter ? -m : m).ToArray();
            var lastRound = model.Trials.Max(t => t.Rung);
            int Reached(double target) => model.Trials.Where(t => t.Status != TrialRecord.Failed && t.Rung == lastRound)
                .Where(t => random.HigherIsBetter ? t.Mean[model.Metric] >= target : t.Mean[model.Metric] <= target)
                .Select(t => t.Index + 1).DefaultIfEmpty(RandomTrials + 1).Min();
            var reached = Reached(ranked[0]);
            return (reached, Reached(ranked[Math.Min(2, ranked.Length - 1)]), random.Metric, model.Trials.Count(t => t.Index < reached));
        }
        finally
        {
            if (cache is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static SweepReport Sweep(string folder, ShiftedDataSet data, string strategy, int seed, string trialCache, bool everyTrainer)
    {
        var manifest = Path.Combine(folder, strategy + ".mlmodel.json");
        File.WriteAllText(manifest, $$"""
            {
              "name": "Study",
              "task": "{{data.Task}}",
              "label": {{JsonSerializer.Serialize(data.Label)}},
              "data": { "train": "data.csv" },
              "importance": false,
              "sweep": { "trials": {{RandomTrials}}, "folds": 3, "strategy": "{{strategy}}"{{(everyTrainer ? "" : $", \"trainers\": {JsonSerializer.Serialize(Trainers)}")}} },
              "seed": {{seed}}
            }
            """);
        // The sweep alone, as the trainer runs it, without training the winner: the study measures the sampler.
        var diagnostics = new DiagnosticBag();
        var parsed = ManifestParser.ParseFile(manifest, diagnostics) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        var (train, _) = new ManifestTraining(diagnostics).Read(parsed) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        var spaces = SearchSpaces.Resolve(parsed, diagnostics) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        var store = TrialStore.For(Path.Combine(folder, "out-" + strategy), trialCache);
        var result = new SweepRunner(parsed, train, FileHash.Sha256(Path.Combine(folder, "data.csv")), "study", store, TrainerProgress.Silent, Environment.ProcessorCount)
            .Run(spaces, diagnostics) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        return result.Report;
    }
}

using System.Globalization;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>The model-based sampler on objectives whose best is known: it finds good configurations sooner than random search, reproducibly.</summary>
public sealed class TpeSamplerTests
{
    private static ResolvedSpace Space(string trainer, params ResolvedParameter[] parameters) =>
        new(TrainerRegistry.Find(ModelTask.Multiclass, trainer)!, default, parameters, null);

    private static readonly ResolvedSpace LightGbm = Space("LightGbm",
        new("NumberOfLeaves", new RangeDomain(2, 256, Log: true), Integer: true, default),
        new("LearningRate", new RangeDomain(0.001, 1, Log: true), Integer: false, default),
        new("MinimumExampleCountPerLeaf", new RangeDomain(1, 100, Log: false), Integer: true, default),
        new("UseSoftmax", new ChoiceDomain([new(Json.LocatedKind.True, "true"), new(Json.LocatedKind.False, "false")]), Integer: false, default));

    private static readonly ResolvedSpace Sdca = Space("SdcaMaximumEntropy",
        new ResolvedParameter("L2Regularization", new RangeDomain(1e-6, 1, Log: true), Integer: false, default));

    private static double Option(TrialConfig config, string name) =>
        double.Parse(config.Options.First(o => o.Name == name).Value.Text!, CultureInfo.InvariantCulture);

    /// <summary>Two more trainers that trail, as linear trainers trail trees on many tables.</summary>
    private static readonly ResolvedSpace SdcaNonCalibrated = Space("SdcaNonCalibrated", Sdca.Parameters[0]);

    private static readonly ResolvedSpace Lbfgs = Space("LbfgsMaximumEntropy", Sdca.Parameters[0]);

    /// <summary>Best (0) at 32 leaves, learning rate 0.05, 20 examples per leaf, softmax; every other trainer peaks lower.</summary>
    private static double Objective(TrialConfig config) => config.Trainer != "LightGbm"
        ? -1 - Math.Pow(Math.Log10(Option(config, "L2Regularization")) + 3, 2) / 10
        : -(Math.Pow(Math.Log2(Option(config, "NumberOfLeaves") / 32), 2) / 4
            + Math.Pow(Math.Log10(Option(config, "LearningRate") / 0.05), 2)
            + Math.Pow((Option(config, "MinimumExampleCountPerLeaf") - 20) / 50, 2)
            + (config.Options.First(o => o.Name == "UseSoftmax").Value.Text == "true" ? 0 : 0.3));

    /// <summary>The sweep's loop: the random start, then batches proposed from every earlier result; the configurations in order.</summary>
    private static IEnumerable<TrialConfig> TpeSearch(IReadOnlyList<ResolvedSpace> spaces, int seed, int budget)
    {
        var startup = TrialSampler.Random(spaces, seed).Take(TpeSampler.StartupTrials).ToList();
        var observed = startup.Select(c => new Observation(c, Objective(c))).ToList();
        var seen = startup.Select(c => c.Key(0)).ToHashSet();
        var sampler = new TpeSampler(spaces, seed);
        foreach (var config in startup)
        {
            yield return config;
        }
        for (var next = startup.Count; next < budget;)
        {
            var batch = sampler.Propose(next, TpeSampler.BatchSize, observed, seen);
            foreach (var config in batch)
            {
                yield return config;
            }
            observed.AddRange(batch.Select(c => new Observation(c, Objective(c))));
            next += batch.Count;
        }
    }

    [Fact]
    public void A_configuration_stopped_early_counts_below_every_one_that_went_further()
    {
        // tpe-halving: what a configuration scored on part of its iterations says less than a finished one's score.
        var startup = TrialSampler.Random([LightGbm], seed: 4).Take(TpeSampler.StartupTrials).ToList();
        var stopped = startup.OrderByDescending(Objective).Take(3).Select(c => c.Index).ToHashSet();
        var finishedOnly = startup.Select(c => new Observation(c, Objective(c))).ToArray();
        var marked = startup.Select(c => new Observation(c, Objective(c), stopped.Contains(c.Index) ? 1 : 0)).ToArray();
        var demoted = startup.Select(c => new Observation(c, Objective(c) - (stopped.Contains(c.Index) ? 1000 : 0))).ToArray();

        string[] Proposed(Observation[] observations) => [.. new TpeSampler([LightGbm], seed: 4)
            .Propose(10, TpeSampler.BatchSize, observations, startup.Select(c => c.Key(0)).ToHashSet()).Select(c => c.Key(0))];

        Assert.Equal(Proposed(demoted), Proposed(marked));
        Assert.NotEqual(Proposed(finishedOnly), Proposed(marked));
    }

    [Fact]
    public void It_matches_random_search_s_best_of_100_in_35_trials_or_fewer_median_over_seven_seeds()
    {
        var spaces = new[] { LightGbm, Sdca };
        var trialsNeeded = Enumerable.Range(1, 7).Select(seed =>
        {
            var randomBest = TrialSampler.Random(spaces, seed).Take(100).Max(Objective);
            var position = TpeSearch(spaces, seed, 100).Select((c, i) => (Value: Objective(c), Trials: i + 1)).FirstOrDefault(t => t.Value >= randomBest).Trials;
            return position == 0 ? 101 : position;
        }).Order().ToArray();

        // Measured: 5, 13, 21, 30, 41, 75, 101 (median 30) with batches of 8, half of them on a trainer that cannot win.
        // A density per option (univariate TPE) needed 5, 29, 31, 41, 54, 83, 101 (median 41).
        Assert.True(trialsNeeded[3] <= 35, $"trials to match random's best of 100, by seed: {string.Join(", ", trialsNeeded)}");
    }

    [Fact]
    public void A_trainer_that_trails_keeps_a_share_of_the_proposals_so_an_unlucky_start_cannot_rule_it_out()
    {
        // Sdca peaks below LightGbm's worst region here, so the model has every reason to drop it. Its weight is its
        // configurations among the best γ plus one, at least 1 / (γ + 2) of the proposals with γ ≤ 12: 8 of these 80
        // (measured). A floor of 0.01 instead of one gives it none. Scoring the trainer by its good-to-rest ratio (as Hyperopt does) gave it one or none, and on real
        // data missed the trainer that held random search's best (benchmarks/README.md, sampler study).
        var later = TpeSearch([LightGbm, Sdca], seed: 3, budget: 120).Skip(40).ToArray();

        Assert.InRange(later.Count(c => c.Trainer == "SdcaMaximumEntropy"), 3, later.Length / 4);
    }

    [Fact]
    public void With_many_trainers_the_one_that_leads_gets_most_proposals_and_each_that_trails_keeps_a_few()
    {
        // Each trainer's weight is its configurations among the best γ plus one, so three that trail share a good part of
        // the proposals (54 of these 82 to LightGbm, measured). A prior of two shared among the trainers gave LightGbm 62
        // here, and was worse in the sampler study (benchmarks/README.md).
        var later = TpeSearch([LightGbm, Sdca, SdcaNonCalibrated, Lbfgs], seed: 3, budget: 120).Skip(40).ToArray();

        Assert.True(later.Count(c => c.Trainer == "LightGbm") > later.Length / 2, $"{later.Count(c => c.Trainer == "LightGbm")} of {later.Length} later proposals are LightGbm");
        Assert.All(new[] { Sdca, SdcaNonCalibrated, Lbfgs }, space => Assert.Contains(later, c => c.Space == space));
    }

    [Fact]
    public void Proposals_depend_only_on_the_seed_their_numbers_and_the_results_not_on_the_order_results_came_in()
    {
        var spaces = new[] { LightGbm, Sdca };
        var start = TrialSampler.Random(spaces, 5).Take(12).ToArray();
        var observed = start.Select(c => new Observation(c, Objective(c))).ToArray();
        IReadOnlyList<string> Propose(IEnumerable<Observation> results) =>
            new TpeSampler(spaces, 5).Propose(12, 8, results.ToArray(), start.Select(c => c.Key(0)).ToHashSet()).Select(c => $"{c.Index}:{c.Key(0)}").ToArray();

        var inOrder = Propose(observed);
        Assert.Equal(inOrder, Propose(observed.Reverse()));
        Assert.Equal(8, inOrder.Distinct().Count());
        // A shorter batch is the longer batch's prefix: raising the budget keeps every earlier configuration.
        Assert.Equal(inOrder.Take(3), new TpeSampler(spaces, 5).Propose(12, 3, observed, start.Select(c => c.Key(0)).ToHashSet()).Select(c => $"{c.Index}:{c.Key(0)}"));
        Assert.NotEqual(inOrder, new TpeSampler(spaces, 6).Propose(12, 8, observed, start.Select(c => c.Key(0)).ToHashSet()).Select(c => $"{c.Index}:{c.Key(0)}"));
    }

    [Fact]
    public void Proposals_stay_in_their_ranges_whole_numbers_for_integer_options_and_never_repeat_a_configuration()
    {
        var configs = TpeSearch([LightGbm, Sdca], seed: 3, budget: 120).ToArray();

        Assert.Equal(configs.Length, configs.Select(c => c.Key(0)).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, configs.Length), configs.Select(c => c.Index));
        foreach (var config in configs.Where(c => c.Trainer == "LightGbm"))
        {
            Assert.InRange(Option(config, "NumberOfLeaves"), 2, 256);
            Assert.Equal(Math.Round(Option(config, "NumberOfLeaves")), Option(config, "NumberOfLeaves"));
            Assert.InRange(Option(config, "LearningRate"), 0.001, 1);
        }
        // The better trainer gets most of the later proposals.
        var later = configs.Skip(40).ToArray();
        Assert.True(later.Count(c => c.Trainer == "LightGbm") > later.Length / 2, $"{later.Count(c => c.Trainer == "LightGbm")} of {later.Length} later proposals are LightGbm");
    }
}

using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>A sweep on changed data tries the run history's earlier winners first.</summary>
public sealed class WarmStartTests
{
    private static readonly ResolvedSpace LightGbm = new(TrainerRegistry.Find(ModelTask.Multiclass, "LightGbm")!, default,
    [
        new("NumberOfLeaves", new RangeDomain(2, 16, Log: false), Integer: true, default),
        new("NumberOfIterations", new ChoiceDomain([OptionLiteral.Number(10), OptionLiteral.Number(20)]), Integer: true, default),
    ], null);

    private static readonly ResolvedSpace Sdca = new(TrainerRegistry.Find(ModelTask.Multiclass, "SdcaMaximumEntropy")!, default,
        [new("MaximumNumberOfIterations", new ChoiceDomain([OptionLiteral.Number(5), OptionLiteral.Number(10)]), Integer: true, default)], null);

    internal static RunRecord Run(string trainer, Dictionary<string, object?> options, double mean, string metric = "MacroAccuracy") =>
        new("2026-12-01T00:00:00Z", null, "Penguins", "fp", "sha", trainer, options, 3, new Dictionary<string, string>(), new Dictionary<string, double>(), 1, "1.0",
            new SweepSummaryCard("random", metric, 2, 6, 6, 0, 0, new SweepBestCard(trainer, options, mean, 0.01)));

    [Fact]
    public void The_best_earlier_winners_that_fit_today_s_spaces_come_first_each_once()
    {
        RunRecord[] history =
        [
            Run("LightGbm", new() { ["NumberOfLeaves"] = 7.0, ["NumberOfIterations"] = 20.0 }, 0.90),
            Run("LightGbm", new() { ["NumberOfLeaves"] = 40.0, ["NumberOfIterations"] = 20.0 }, 0.99),   // outside today's range
            Run("SdcaMaximumEntropy", new() { ["MaximumNumberOfIterations"] = 10.0 }, 0.93),
            Run("LightGbm", new() { ["NumberOfLeaves"] = 7.0, ["NumberOfIterations"] = 20.0 }, 0.91),     // the same configuration again
            Run("FastTree", new() { ["NumberOfLeaves"] = 7.0 }, 0.98),                                     // not searched today
            Run("LightGbm", new() { ["NumberOfLeaves"] = 3.0, ["NumberOfIterations"] = 10.0 }, 0.97, metric: "LogLoss"), // another metric
            Run("LightGbm", new() { ["NumberOfLeaves"] = 12.0, ["NumberOfIterations"] = 10.0 }, 0.80),
            Run("LightGbm", new() { ["NumberOfLeaves"] = 15.0, ["NumberOfIterations"] = 10.0 }, 0.70),
            Run("LightGbm", new() { ["NumberOfLeaves"] = 9.0, ["NumberOfIterations"] = 10.0 }, double.NaN),  // no figure to rank by
        ];

        var warm = WarmStart.From(history, [LightGbm, Sdca], "MacroAccuracy", higherIsBetter: true);

        Assert.Equal(["SdcaMaximumEntropy {MaximumNumberOfIterations: 10}", "LightGbm {NumberOfIterations: 20, NumberOfLeaves: 7}", "LightGbm {NumberOfIterations: 10, NumberOfLeaves: 12}"],
            warm.Select(c => c.Describe()));
        Assert.Equal([0, 1, 2], warm.Select(c => c.Index));
    }

    [Fact]
    public void The_sampler_s_configurations_follow_numbered_on_without_repeating_a_warm_one()
    {
        var warm = WarmStart.From([Run("SdcaMaximumEntropy", new() { ["MaximumNumberOfIterations"] = 10.0 }, 0.93)], [LightGbm, Sdca], "MacroAccuracy", true);
        var drawn = TrialSampler.Random([LightGbm, Sdca], 3).Take(12).ToArray();

        var sweep = WarmStart.Before(warm, drawn).ToArray();

        Assert.Equal(Enumerable.Range(0, sweep.Length), sweep.Select(c => c.Index));
        Assert.Equal(warm[0].Key(0), sweep[0].Key(0));
        Assert.Equal(sweep.Length, sweep.Select(c => c.Key(0)).Distinct().Count());
        Assert.Equal(drawn.Select(c => c.Key(0)).Where(k => k != warm[0].Key(0)), sweep.Skip(1).Select(c => c.Key(0)));
    }
}

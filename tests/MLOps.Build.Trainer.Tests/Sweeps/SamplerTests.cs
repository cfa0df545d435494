using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>Which configurations a sweep tries: seeded, prefix-stable, within their ranges; and the halving schedule.</summary>
public sealed class SamplerTests
{
    private static ResolvedSpace Space(string trainer, params ResolvedParameter[] parameters) =>
        new(TrainerRegistry.Find(ModelTask.Multiclass, trainer)!, default, parameters,
            new ResolvedParameter("NumberOfIterations", new RangeDomain(25, 200, Log: true), Integer: true, default));

    private static readonly ResolvedSpace LightGbm = Space("LightGbm",
        new("NumberOfLeaves", new RangeDomain(4, 128, Log: true), Integer: true, default),
        new("LearningRate", new RangeDomain(0.01, 0.5, Log: true), Integer: false, default),
        new("UseSoftmax", new ChoiceDomain([new(Json.LocatedKind.True, "true"), new(Json.LocatedKind.False, "false")]), Integer: false, default));

    private static readonly ResolvedSpace Sdca = Space("SdcaMaximumEntropy",
        new ResolvedParameter("L2Regularization", new RangeDomain(1e-6, 1, Log: true), Integer: false, default));

    [Fact]
    public void Random_configurations_depend_only_on_the_seed_and_their_number()
    {
        var first = TrialSampler.Random([LightGbm, Sdca], seed: 42).Take(30).Select(c => c.Key(5)).ToArray();
        var again = TrialSampler.Random([LightGbm, Sdca], seed: 42).Take(60).Select(c => c.Key(5)).ToArray();
        var other = TrialSampler.Random([LightGbm, Sdca], seed: 43).Take(30).Select(c => c.Key(5)).ToArray();

        Assert.Equal(first, again.Take(30));          // raising the budget keeps every earlier configuration
        Assert.NotEqual(first, other);
        Assert.Equal(30, first.Distinct().Count());
    }

    [Fact]
    public void Random_values_stay_in_their_ranges_whole_numbers_for_integer_options_and_trainers_take_turns()
    {
        var configs = TrialSampler.Random([LightGbm, Sdca], seed: 7).Take(400).ToArray();

        Assert.Equal(Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? "LightGbm" : "SdcaMaximumEntropy"), configs.Select(c => c.Trainer));
        var leaves = configs.Where(c => c.Trainer == "LightGbm").Select(c => (double)c.OptionValues()["NumberOfLeaves"]!).ToArray();
        Assert.All(leaves, v => Assert.True(v >= 4 && v <= 128 && v == Math.Floor(v), v.ToString()));
        // Log-uniform: about as many draws below the geometric middle (≈ 22.6) as above it.
        Assert.InRange(leaves.Count(v => v < 22.6), 70, 130);
        var rates = configs.Where(c => c.Trainer == "LightGbm").Select(c => (double)c.OptionValues()["LearningRate"]!).ToArray();
        Assert.All(rates, v => Assert.InRange(v, 0.01, 0.5));
        Assert.Equal(2, configs.Where(c => c.Trainer == "LightGbm").Select(c => c.OptionValues()["UseSoftmax"]).Distinct().Count());
    }

    [Fact]
    public void A_hand_set_trainer_is_configuration_zero()
    {
        var handSet = new TrialConfig(0, LightGbm, [("NumberOfLeaves", OptionLiteral.Number(15))]);

        var configs = TrialSampler.Random([LightGbm, Sdca], seed: 42, handSet).Take(3).ToArray();

        Assert.Equal("trainer=LightGbm;folds=5;NumberOfLeaves=15", configs[0].Key(5));
        Assert.Equal([0, 1, 2], configs.Select(c => c.Index));
    }

    [Fact]
    public void The_grid_is_every_combination_three_points_per_range_last_option_fastest()
    {
        var grid = TrialSampler.Grid([LightGbm, Sdca]).ToArray();

        // LightGbm: LearningRate 3 × NumberOfLeaves 3 × UseSoftmax 2; Sdca: L2Regularization 3.
        Assert.Equal(18 + 3, grid.Length);
        Assert.Equal(Enumerable.Range(0, 21), grid.Select(c => c.Index));
        Assert.Equal("trainer=LightGbm;folds=5;LearningRate=0.01;NumberOfLeaves=4;UseSoftmax=true", grid[0].Key(5));
        Assert.Equal("trainer=LightGbm;folds=5;LearningRate=0.01;NumberOfLeaves=4;UseSoftmax=false", grid[1].Key(5));
        Assert.Equal("trainer=LightGbm;folds=5;LearningRate=0.01;NumberOfLeaves=23;UseSoftmax=true", grid[2].Key(5));
        Assert.Equal("trainer=SdcaMaximumEntropy;folds=5;L2Regularization=0.001", grid[19].Key(5));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(9, 3)]
    [InlineData(26, 3)]
    [InlineData(27, 4)]
    [InlineData(500, 4)]
    public void Halving_has_enough_rounds_to_narrow_down_to_about_one_and_at_most_four(int configurations, int rounds) =>
        Assert.Equal(rounds, HalvingSchedule.Rounds(configurations));

    [Fact]
    public void Halving_keeps_a_third_and_grows_the_resource_geometrically_to_its_maximum()
    {
        Assert.Equal([20, 7, 3, 1], new[] { 60, 20, 7, 3 }.Select(HalvingSchedule.Survivors));
        Assert.Equal([25L, 50L, 100L, 200L], Enumerable.Range(0, 4).Select(r => HalvingSchedule.Resource(25, 200, r, 4)));
        Assert.Equal(200L, HalvingSchedule.Resource(25, 200, 0, 1));
    }

    [Fact]
    public void Setting_the_resource_replaces_that_option_only()
    {
        var config = TrialSampler.Random([LightGbm], seed: 1).First().WithResource(50);

        Assert.Equal(50d, config.OptionValues()["NumberOfIterations"]);
        Assert.Equal(4, config.Options.Count);
    }

    [Fact]
    public void Derived_seeds_are_the_same_in_every_process_and_differ_per_coordinate()
    {
        // Fixed values: HashCode.Combine would give another number in every process.
        Assert.Equal(Seeds.Derive(42, 3), Seeds.Derive(42, 3));
        Assert.Equal(2102808476, Seeds.Derive(42, 3)); // FNV-1a of the words 42, 3 (checked by hand in Python)
        Assert.NotEqual(Seeds.Derive(42, 3), Seeds.Derive(42, 4));
        Assert.NotEqual(Seeds.Derive(42, 3), Seeds.Derive(43, 3));
    }
}

using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>The multivariate density the tpe sampler draws from: options that went well together are drawn together.</summary>
public sealed class JointParzenEstimatorTests
{
    private static readonly ResolvedParameter[] Parameters =
    [
        new("LearningRate", new RangeDomain(0.01, 1, Log: true), Integer: false, default),
        new("NumberOfIterations", new RangeDomain(10, 1000, Log: true), Integer: true, default),
        new("UseSoftmax", new ChoiceDomain([new(Json.LocatedKind.True, "true"), new(Json.LocatedKind.False, "false")]), Integer: false, default),
        new("Seed", new FixedDomain(new(Json.LocatedKind.Number, "7")), Integer: true, default),
    ];

    /// <summary>A point's options as a trainer takes them and back: the round trip the sampler makes.</summary>
    private static double[] Point(double learningRate, double iterations, int softmax) => [Math.Log(learningRate), Math.Log(iterations), softmax, 0];

    [Fact]
    public void Draws_keep_the_options_of_one_good_configuration_together()
    {
        // Two good configurations, each a trade-off: a high rate with few iterations, a low rate with many. A density per
        // option would draw a high rate with many iterations as often as with few; the joint one mostly keeps the pairs.
        var density = new JointParzenEstimator(Parameters, [Point(0.5, 20, 0), Point(0.02, 500, 0)]);
        var random = new Random(3);
        var draws = Enumerable.Range(0, 3000).Select(_ => density.Sample(random)).ToArray();
        var highRate = draws.Where(d => d[0] > Math.Log(0.1)).ToArray();
        var lowRate = draws.Where(d => d[0] < Math.Log(0.1)).ToArray();

        var paired = highRate.Count(d => d[1] < Math.Log(100)) + lowRate.Count(d => d[1] > Math.Log(100));
        var mixed = highRate.Count(d => d[1] > Math.Log(100)) + lowRate.Count(d => d[1] < Math.Log(100));
        // Two kernels of three are the configurations; the third, the prior, draws every quarter alike, and with two
        // configurations the kernels are a quarter of each range wide (Optuna's clip), so about a third of the draws mix.
        // A density per option would mix half of them.
        Assert.True(paired > 2 * mixed, $"{paired} draws kept a pair, {mixed} mixed them");
    }

    [Fact]
    public void A_list_s_observed_value_weighs_as_Optuna_weighs_it_and_fixed_options_stay_fixed()
    {
        var density = new JointParzenEstimator(Parameters, [Point(0.1, 100, 1)]);
        var random = new Random(5);
        var draws = Enumerable.Range(0, 4000).Select(_ => density.Sample(random)).ToArray();

        // Half the draws from the configuration's kernel ((1/2 + 1) / 2 = 3/4 on its value), half from the prior (1/2).
        Assert.InRange(draws.Count(d => d[2] == 1) / 4000.0, 0.6, 0.65);
        Assert.All(draws, d => Assert.Equal(0, d[3]));
        Assert.All(draws, d => Assert.InRange(d[0], Math.Log(0.01), Math.Log(1)));
        Assert.Equal("7", JointParzenEstimator.Options(Parameters, draws[0]).Single(o => o.Name == "Seed").Value.Text);
    }

    [Fact]
    public void The_density_is_highest_at_the_configurations_and_integrates_to_one()
    {
        var density = new JointParzenEstimator(Parameters.Take(2).ToArray(), [[Math.Log(0.1), Math.Log(100)]]);

        Assert.True(density.LogDensity([Math.Log(0.1), Math.Log(100)]) > density.LogDensity([Math.Log(0.1), Math.Log(20)]));
        Assert.True(density.LogDensity([Math.Log(0.1), Math.Log(100)]) > density.LogDensity([Math.Log(0.5), Math.Log(100)]));
        // A midpoint sum over the (log) box: each kernel is truncated to the ranges and renormalized.
        var (a, b) = (Math.Log(0.01), Math.Log(1));
        var (c, d) = (Math.Log(10), Math.Log(1000));
        const int Steps = 200;
        var cell = (b - a) / Steps * (d - c) / Steps;
        var total = 0.0;
        for (var i = 0; i < Steps; i++)
        {
            for (var j = 0; j < Steps; j++)
            {
                total += Math.Exp(density.LogDensity([a + (i + 0.5) * (b - a) / Steps, c + (j + 0.5) * (d - c) / Steps])) * cell;
            }
        }
        Assert.InRange(total, 0.99, 1.01);
    }

    [Fact]
    public void A_configuration_s_options_round_trip_through_a_point()
    {
        var space = new ResolvedSpace(TrainerRegistry.Find(ModelTask.Multiclass, "LightGbm")!, default, Parameters, null);
        var config = new TrialConfig(0, space, JointParzenEstimator.Options(Parameters, Point(0.25, 300, 1)).ToArray());

        Assert.Equal(Point(0.25, 300, 1), JointParzenEstimator.Point(Parameters, config), (x, y) => Math.Abs(x - y) < 1e-9);
    }
}

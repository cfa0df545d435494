using MLOps.Build.Artifacts;
using MLOps.Build.Tasks.Validate;

namespace MLOps.Build.Tests.Validate;

public sealed class ValidationReportTests
{
    private static TrialRecord Trial(int index, int rung, string trainer, string status, double mean, params (string Name, object Value)[] options) =>
        new(index, rung, trainer, options.ToDictionary(o => o.Name, o => (object?)o.Value), "fp" + index, status,
            status == TrialRecord.Failed ? "ArgumentException: bad" : null, [],
            status == TrialRecord.Failed ? new Dictionary<string, double>() : new Dictionary<string, double> { ["MacroAccuracy"] = mean },
            status == TrialRecord.Failed ? new Dictionary<string, double>() : new Dictionary<string, double> { ["MacroAccuracy"] = 0.01 }, 10);

    private static SweepReport Sweep(string strategy, params TrialRecord[] ranked) => new(SweepReport.CurrentSchemaVersion, "Weather",
        "MacroAccuracy", true, strategy, 3, new SweepBudgetCard(3, null), new SweepCountsCard(3, ranked.Length, 1, ranked.Length - 1, 0, 1), 1000,
        ranked[0], ranked);

    [Fact]
    public void The_sweep_leaderboard_lists_the_best_trials_with_their_options_and_leaves_out_failed_ones()
    {
        var sweep = Sweep("random",
            Trial(2, 0, "FastTree", TrialRecord.Ok, 0.52, ("NumberOfLeaves", 9L), ("LearningRate", 0.05)),
            Trial(0, 0, "LightGbm", TrialRecord.Ok, 0.5, ("NumberOfLeaves", 15L)),
            Trial(1, 0, "LightGbm", TrialRecord.Failed, 0, ("NumberOfLeaves", 0L)));

        var report = ValidationReport.Render("Weather", "abc", true, new Dictionary<string, double>(), null, [], sweep);

        Assert.EndsWith("""

            #### Sweep: 3 trials, random, 3-fold MacroAccuracy (1 cached, 2 trained, 0 pruned, 1 failed)

            Winner: trial 2, FastTree NumberOfLeaves 9, LearningRate 0.05

            | # | trial | trainer | options | MacroAccuracy | ± | status |
            | ---: | ---: | --- | --- | ---: | ---: | --- |
            | 1 | 2 | FastTree | NumberOfLeaves 9, LearningRate 0.05 | 0.52 | 0.01 | ok |
            | 2 | 0 | LightGbm | NumberOfLeaves 15 | 0.5 | 0.01 | ok |


            """, report);
    }

    [Fact]
    public void A_dropped_column_s_name_from_the_data_stays_text_in_the_winner_line_and_its_cell()
    {
        var column = "drop:a | b\n# Passed <img src=x onerror=alert(1)> `x`";
        var sweep = Sweep("random", Trial(0, 0, "LightGbm", TrialRecord.Ok, 0.5, (column, true)));

        var report = ValidationReport.Render("Weather", "abc", true, new Dictionary<string, double>(), null, [], sweep);

        var escaped = "drop\\:a \\| b\\\\u000A# Passed \\<img src=x onerror=alert(1)\\> \\`x\\`";
        Assert.Contains($"Winner: trial 0, LightGbm {escaped} True\n", report);
        Assert.Contains($"| 1 | 0 | LightGbm | {escaped} True | 0.5 | 0.01 | ok |\n", report);
        Assert.DoesNotContain("\n# Passed", report);
    }

    [Fact]
    public void Why_there_are_no_intervals_names_a_column_from_the_data_as_text()
    {
        var comparison = new ModelComparison(ModelComparison.CurrentSchemaVersion, "fp", "accepted", "sha", 0, 0.95, 0, 0,
            new Dictionary<string, MetricComparison>(), "the accepted model reads column 'a|b\n# Passed', which this model's test rows do not have");

        var report = ValidationReport.Render("Weather", "abc", true, new Dictionary<string, double> { ["AUC"] = 0.9 }, new Dictionary<string, double> { ["AUC"] = 0.8 }, [], comparison: comparison);

        Assert.Contains("\nNo intervals: the accepted model reads column 'a\\|b\\\\u000A# Passed', which this model's test rows do not have.\n", report);
    }

    [Fact]
    public void A_halving_leaderboard_shows_the_round_each_trial_reached()
    {
        var sweep = Sweep("halving",
            Trial(1, 1, "LightGbm", TrialRecord.Ok, 0.52, ("NumberOfIterations", 200L)),
            Trial(0, 0, "LightGbm", TrialRecord.Pruned, 0.4, ("NumberOfIterations", 66L)));

        var report = ValidationReport.Render("Weather", "abc", true, new Dictionary<string, double>(), null, [], sweep);

        Assert.Contains("| # | trial | trainer | options | MacroAccuracy | ± | round | status |", report);
        Assert.Contains("| 1 | 1 | LightGbm | NumberOfIterations 200 | 0.52 | 0.01 | 2 | ok |", report);
        Assert.Contains("| 2 | 0 | LightGbm | NumberOfIterations 66 | 0.4 | 0.01 | 1 | pruned |", report);
    }
}

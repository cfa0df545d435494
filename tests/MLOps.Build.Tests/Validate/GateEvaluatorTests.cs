using MLOps.Build.Diagnostics;
using MLOps.Build.Tasks.Validate;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Validate;

public sealed class GateEvaluatorTests
{
    private static readonly Dictionary<string, double> Measured = new() { ["MacroAccuracy"] = 0.8125, ["LogLoss"] = 0.42 };

    private static IReadOnlyList<MLOpsDiagnostic> Evaluate(string gates, Dictionary<string, double>? metrics = null, Dictionary<string, double>? baseline = null, string extra = "")
    {
        var manifest = Manifests.Parse(Manifests.Valid.Replace("\"gates\": [ { \"metric\": \"MacroAccuracy\", \"min\": 0.9 } ]", "\"gates\": " + gates + extra)).Manifest!;
        var bag = new DiagnosticBag();
        GateEvaluator.Evaluate(manifest, metrics ?? Measured, baseline, bag);
        return bag.Items;
    }

    [Fact]
    public void A_missed_minimum_is_MLOPS3001_at_the_gate_saying_by_how_much()
    {
        var d = Assert.Single(Evaluate("[ { \"metric\": \"MacroAccuracy\", \"min\": 0.9 } ]"));

        Assert.Equal(("MLOPS3001", 14, 14), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Equal("Penguins: MacroAccuracy is 0.8125, below the gate's min 0.9 (missed by 0.0875).", d.Message);
    }

    [Fact]
    public void An_exceeded_maximum_is_MLOPS3001()
    {
        var d = Assert.Single(Evaluate("[ { \"metric\": \"LogLoss\", \"max\": 0.4 } ]"));
        Assert.Equal("Penguins: LogLoss is 0.42, above the gate's max 0.4 (missed by 0.02).", d.Message);
    }

    [Fact]
    public void Passing_gates_are_reported_with_their_values()
    {
        var d = Assert.Single(Evaluate("[ { \"metric\": \"MacroAccuracy\", \"min\": 0.8 }, { \"metric\": \"LogLoss\", \"max\": 0.5 } ]"));
        Assert.Equal(("MLOPS3004", "Penguins passed its gates: MacroAccuracy 0.8125 ≥ 0.8, LogLoss 0.42 ≤ 0.5."), (d.Id, d.Message));
    }

    [Fact]
    public void Change_gates_are_skipped_with_a_message_while_there_is_no_baseline()
    {
        var diagnostics = Evaluate("[ { \"metric\": \"LogLoss\", \"max\": 0.5, \"maxIncrease\": 0.05 } ]");
        Assert.Equal(["MLOPS3003", "MLOPS3004"], diagnostics.Select(d => d.Id));
        Assert.Contains("skipped: there is no accepted model to compare with yet", diagnostics[0].Message);
    }

    [Fact]
    public void Change_gates_compare_with_the_accepted_model()
    {
        var gates = "[ { \"metric\": \"LogLoss\", \"maxIncrease\": 0.05 }, { \"metric\": \"MacroAccuracy\", \"maxDecrease\": 0.01 } ]";

        var failures = Evaluate(gates, baseline: new() { ["LogLoss"] = 0.35, ["MacroAccuracy"] = 0.85 });

        Assert.Equal(["MLOPS3005", "MLOPS3005"], failures.Select(d => d.Id));
        Assert.Equal("Penguins: LogLoss rose from 0.35 (accepted model) to 0.42, by 0.07 (worse); the gate allows an increase of 0.05.", failures[0].Message);
        Assert.Equal("Penguins: MacroAccuracy fell from 0.85 (accepted model) to 0.8125, by 0.0375 (worse); the gate allows a decrease of 0.01.", failures[1].Message);
        Assert.Equal((14, 14), (failures[0].Location.Line, failures[0].Location.Column));
        Assert.Empty(Evaluate(gates, baseline: new() { ["LogLoss"] = 0.40, ["MacroAccuracy"] = 0.82 }));
    }

    [Fact]
    public void Relative_change_bounds_are_shares_of_the_accepted_value()
    {
        var gates = "[ { \"metric\": \"LogLoss\", \"maxIncrease\": \"10%\" } ]";

        var failure = Assert.Single(Evaluate(gates, baseline: new() { ["LogLoss"] = 0.35 }));

        Assert.Equal("MLOPS3005", failure.Id);
        Assert.Equal("Penguins: LogLoss rose from 0.35 (accepted model) to 0.42, by 0.07 (worse); the gate allows an increase of 10% (0.035).", failure.Message);
        Assert.Empty(Evaluate(gates, baseline: new() { ["LogLoss"] = 0.40 }));
    }

    [Fact]
    public void With_enforce_warn_failed_gates_are_warnings_MLOPS3011()
    {
        var gates = "[ { \"metric\": \"MacroAccuracy\", \"min\": 0.9 }, { \"metric\": \"LogLoss\", \"maxIncrease\": 0.01 } ]";

        var diagnostics = Evaluate(gates, baseline: new() { ["LogLoss"] = 0.35 }, extra: ",\n  \"enforce\": \"warn\"");

        Assert.Equal(["MLOPS3011", "MLOPS3011"], diagnostics.Select(d => d.Id));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticLevel.Warning, d.Severity));
    }

    [Fact]
    public void A_metric_the_model_does_not_report_is_MLOPS3002()
    {
        var d = Assert.Single(Evaluate("[ { \"metric\": \"MacroAccuracy\", \"min\": 0.5 } ]", new() { ["Accuracy"] = 0.9 }));
        Assert.Equal(("MLOPS3002", 14, 14), (d.Id, d.Location.Line, d.Location.Column));
    }
}

/// <summary>Change gates with the paired bootstrap interval of the two models on the same test rows.</summary>
public sealed class SignificanceGateTests
{
    private static readonly Dictionary<string, double> Measured = new() { ["MacroAccuracy"] = 0.8125, ["LogLoss"] = 0.42 };
    private static readonly Dictionary<string, double> Accepted = new() { ["MacroAccuracy"] = 0.85, ["LogLoss"] = 0.35 };

    private static MLOps.Build.Artifacts.ModelComparison Compared(double lower, double upper) => new(1, "f", "a", "s", 400, 0.95, 2000, 1,
        new Dictionary<string, MLOps.Build.Artifacts.MetricComparison> { ["MacroAccuracy"] = new(0.85, 0.8125, -0.0375, lower, upper) }, null);

    private static (bool Passed, IReadOnlyList<MLOpsDiagnostic> Diagnostics, GateResult Result) Evaluate(string gate, MLOps.Build.Artifacts.ModelComparison? comparison)
    {
        var manifest = Manifests.Parse(Manifests.Valid.Replace("\"gates\": [ { \"metric\": \"MacroAccuracy\", \"min\": 0.9 } ]", $"\"gates\": [ {gate} ]")).Manifest!;
        var bag = new DiagnosticBag();
        var results = new List<GateResult>();
        var passed = GateEvaluator.Evaluate(manifest, Measured, Accepted, bag, results, comparison);
        return (passed, bag.Items, Assert.Single(results));
    }

    private const string SignificantGate = "{ \"metric\": \"MacroAccuracy\", \"maxDecrease\": 0.01, \"significant\": true }";

    [Fact]
    public void A_drop_beyond_the_bound_whose_interval_includes_zero_is_noise_and_passes_with_MLOPS3015()
    {
        var (passed, diagnostics, result) = Evaluate(SignificantGate, Compared(-0.08, 0.004));

        Assert.True(passed);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS3015", d.Id);
        Assert.Equal("Penguins: MacroAccuracy fell from 0.85 (accepted model) to 0.8125, by 0.0375 (worse); the gate allows a decrease of 0.01. "
            + "On the same 400 test rows the accepted model measures 0.85 and this one 0.8125: -0.0375 (95% interval -0.08 to 0.004), within noise. "
            + "The gate asks for a significant change, so it passes.", d.Message);
        Assert.Equal(("pass", "fall ≤ 0.01, if significant"), (result.Outcome, result.Bounds));
    }

    [Fact]
    public void A_drop_beyond_the_bound_whose_interval_excludes_zero_is_a_regression_and_fails_with_MLOPS3005()
    {
        var (passed, diagnostics, result) = Evaluate(SignificantGate, Compared(-0.06, -0.015));

        Assert.False(passed);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS3005", d.Id);
        Assert.EndsWith("On the same 400 test rows the accepted model measures 0.85 and this one 0.8125: -0.0375 (95% interval -0.06 to -0.015), more than noise.", d.Message);
        Assert.Equal("fail", result.Outcome);
    }

    [Fact]
    public void An_interval_that_excludes_zero_on_the_better_side_does_not_make_a_drop_significant()
    {
        // The lock's metrics came from other test rows; on the same rows the new model is better: no regression.
        var (passed, diagnostics, _) = Evaluate(SignificantGate, Compared(0.001, 0.02));

        Assert.True(passed);
        Assert.Equal("MLOPS3015", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Without_an_interval_a_significance_gate_judges_the_change_alone_and_says_so()
    {
        var (passed, diagnostics, _) = Evaluate(SignificantGate, comparison: null);

        Assert.False(passed);
        Assert.EndsWith("The gate asks for a significant change, but with no interval on the same test rows it judges the change alone.", Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void A_plain_change_gate_fails_on_the_change_and_reports_the_interval_or_why_there_is_none()
    {
        var gate = "{ \"metric\": \"MacroAccuracy\", \"maxDecrease\": 0.01 }";

        var (passed, diagnostics, _) = Evaluate(gate, Compared(-0.08, 0.004));
        Assert.False(passed);
        Assert.EndsWith("(95% interval -0.08 to 0.004), within noise.", Assert.Single(diagnostics).Message);

        var unavailable = Compared(0, 0) with { Metrics = new Dictionary<string, MLOps.Build.Artifacts.MetricComparison>(), Problem = "the accepted model reads column 'island', which this model's test rows do not have" };
        Assert.EndsWith("No interval: the accepted model reads column 'island', which this model's test rows do not have.", Assert.Single(Evaluate(gate, unavailable).Diagnostics).Message);
    }
}

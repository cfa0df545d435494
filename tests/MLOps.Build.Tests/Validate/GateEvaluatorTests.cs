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

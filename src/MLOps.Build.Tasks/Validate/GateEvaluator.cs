using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticDescriptors;

namespace MLOps.Build.Tasks.Validate;

/// <summary>
/// Checks a model's test metrics against the manifest's gates: absolute bounds, and bounds on the change from
/// the accepted model (the lock file's metrics) when there is one; without one the change gates are skipped,
/// and the build says so. Returns false when a gate failed.
/// </summary>
public static class GateEvaluator
{
    public static bool Evaluate(ModelManifest manifest, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, double>? baseline, DiagnosticBag diagnostics) =>
        Evaluate(manifest, metrics, baseline, diagnostics, []);

    /// <summary>As above, also listing each gate's outcome for the report.</summary>
    public static bool Evaluate(ModelManifest manifest, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, double>? baseline, DiagnosticBag diagnostics, List<GateResult> results)
    {
        if (manifest.Gates.Count == 0)
        {
            return true;
        }
        var ok = true;

        var passed = new List<string>();
        var skippedChangeGates = 0;
        foreach (var gate in manifest.Gates)
        {
            if (!metrics.TryGetValue(gate.Metric, out var value))
            {
                diagnostics.Add(D.MetricNotMeasured, gate.Location,
                    $"{manifest.Name} has no measured '{gate.Metric}' (measured: {(metrics.Count == 0 ? "none" : string.Join(", ", metrics.Keys))}), so its gate cannot pass.");
                ok = false;
                results.Add(new GateResult(gate.Metric, Bounds(gate), null, "not measured"));
                continue;
            }
            var failed = false;
            if (gate.Min is { } min && value < min)
            {
                diagnostics.Add(D.GateFailed, gate.Location,
                    $"{manifest.Name}: {gate.Metric} is {Format(value)}, below the gate's min {Format(min)} (missed by {Format(min - value)}).");
                failed = true;
            }
            if (gate.Max is { } max && value > max)
            {
                diagnostics.Add(D.GateFailed, gate.Location,
                    $"{manifest.Name}: {gate.Metric} is {Format(value)}, above the gate's max {Format(max)} (missed by {Format(value - max)}).");
                failed = true;
            }
            if (gate.MaxIncrease is not null || gate.MaxDecrease is not null)
            {
                if (baseline is null || !baseline.TryGetValue(gate.Metric, out var accepted))
                {
                    skippedChangeGates++;
                }
                else
                {
                    var change = value - accepted;
                    if (gate.MaxIncrease is { } up && change > up)
                    {
                        diagnostics.Add(D.ChangeGateFailed, gate.Location,
                            $"{manifest.Name}: {gate.Metric} rose from {Format(accepted)} (accepted model) to {Format(value)}, by {Format(change)}; the gate allows an increase of {Format(up)}.");
                        failed = true;
                    }
                    if (gate.MaxDecrease is { } down && -change > down)
                    {
                        diagnostics.Add(D.ChangeGateFailed, gate.Location,
                            $"{manifest.Name}: {gate.Metric} fell from {Format(accepted)} (accepted model) to {Format(value)}, by {Format(-change)}; the gate allows a decrease of {Format(down)}.");
                        failed = true;
                    }
                }
            }
            ok &= !failed;
            var skipped = (gate.MaxIncrease is not null || gate.MaxDecrease is not null) && (baseline is null || !baseline.ContainsKey(gate.Metric));
            results.Add(new GateResult(gate.Metric, Bounds(gate), value, failed ? "fail" : skipped && gate.Min is null && gate.Max is null ? "skipped (no accepted model)" : "pass"));
            if (!failed && (gate.Min is not null || gate.Max is not null))
            {
                passed.Add($"{gate.Metric} {Format(value)}{(gate.Min is { } lo ? " ≥ " + Format(lo) : "")}{(gate.Max is { } hi ? " ≤ " + Format(hi) : "")}");
            }
        }
        if (skippedChangeGates > 0)
        {
            diagnostics.Add(D.ChangeGatesSkipped, SourceLocation.File(manifest.Path),
                $"{manifest.Name}: {skippedChangeGates} gate(s) on change (maxIncrease/maxDecrease) skipped: there is no accepted model to compare with yet ({Path.GetFileName(ModelLock.PathFor(manifest.Path))}).");
        }
        if (passed.Count > 0)
        {
            diagnostics.Add(D.GatesPassed, SourceLocation.File(manifest.Path), $"{manifest.Name} passed its gates: {string.Join(", ", passed)}.");
        }
        return ok;
    }

    private static string Bounds(GateSpec gate) => string.Join(", ", new[]
    {
        gate.Min is { } min ? "≥ " + Format(min) : null,
        gate.Max is { } max ? "≤ " + Format(max) : null,
        gate.MaxIncrease is { } up ? "rise ≤ " + Format(up) : null,
        gate.MaxDecrease is { } down ? "fall ≤ " + Format(down) : null,
    }.Where(b => b is not null));

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>One gate's outcome: "pass", "fail", "not measured" or "skipped (no accepted model)".</summary>
public sealed record GateResult(string Metric, string Bounds, double? Value, string Outcome);

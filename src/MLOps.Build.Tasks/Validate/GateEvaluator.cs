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
    public static bool Evaluate(ModelManifest manifest, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, double>? baseline, DiagnosticBag diagnostics)
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

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

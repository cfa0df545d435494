using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Validate;

/// <summary>
/// Checks a model's test metrics against the manifest's gates: absolute bounds, and bounds on the change from
/// the accepted model (the lock file's metrics) when there is one; without one the change gates are skipped,
/// and the build says so. A change is reported with its paired bootstrap interval when the trainer compared the two
/// models on the same test rows (<see cref="ModelComparison"/>); a gate with <c>"significant": true</c> fails on a
/// change beyond its bound only when that interval excludes zero. Returns false when a gate failed.
/// </summary>
public static class GateEvaluator
{
    /// <param name="results">Receives each gate's outcome, for the report.</param>
    /// <param name="comparison">The two models on the same test rows, when compared; null: the change gates see the lock's metrics alone.</param>
    public static bool Evaluate(ModelManifest manifest, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, double>? baseline, DiagnosticBag diagnostics,
        List<GateResult>? results = null, ModelComparison? comparison = null)
    {
        results ??= [];
        if (manifest.Gates.Count == 0)
        {
            return true;
        }
        var ok = true;
        var failure = manifest.GatesAreWarnings ? D.GateFailedWarning : D.GateFailed;
        var changeFailure = manifest.GatesAreWarnings ? D.GateFailedWarning : D.ChangeGateFailed;

        var passed = new List<string>();
        var skippedChangeGates = 0;
        // A gate on an estimate is judged on current data by the drift check (MLOPS4007), not on the test set.
        foreach (var gate in manifest.Gates.Where(g => !MetricCatalog.IsEstimated(g.Metric)))
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
                diagnostics.Add(failure, gate.Location,
                    $"{manifest.Name}: {gate.Metric} is {Format(value)}, below the gate's min {Format(min)} (missed by {Format(min - value)}).");
                failed = true;
            }
            if (gate.Max is { } max && value > max)
            {
                diagnostics.Add(failure, gate.Location,
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
                    var higherIsBetter = MetricCatalog.IsKnown(manifest.Task, gate.Metric) && MetricCatalog.HigherIsBetter(manifest.Task, gate.Metric);
                    var verdict = change == 0 ? "" : (change > 0) == higherIsBetter ? " (better)" : " (worse)";
                    // A relative bound is a share of the accepted value ("5%" of 0.40 allows 0.02).
                    var scale = gate.ChangeIsRelative ? Math.Abs(accepted) : 1;
                    var evidence = comparison?.Problem is null && comparison?.Metrics.TryGetValue(gate.Metric, out var e) == true ? e : null;
                    foreach (var (increase, bound) in new[] { (true, gate.MaxIncrease), (false, gate.MaxDecrease) })
                    {
                        if (bound is not { } allowed || (increase ? change : -change) <= allowed * scale)
                        {
                            continue;
                        }
                        var what = increase
                            ? $"{manifest.Name}: {gate.Metric} rose from {Format(accepted)} (accepted model) to {Format(value)}, by {Format(change)}{verdict}; the gate allows an increase of {Allowed(allowed, scale, gate.ChangeIsRelative)}."
                            : $"{manifest.Name}: {gate.Metric} fell from {Format(accepted)} (accepted model) to {Format(value)}, by {Format(-change)}{verdict}; the gate allows a decrease of {Allowed(allowed, scale, gate.ChangeIsRelative)}.";
                        if (gate.RequiresSignificance && evidence is not null && !evidence.IsSignificantChange(increase))
                        {
                            diagnostics.Add(D.ChangeWithinNoise, gate.Location, $"{what}{Evidence(comparison, evidence)} The gate asks for a significant change, so it passes.");
                            continue;
                        }
                        diagnostics.Add(changeFailure, gate.Location, what + Evidence(comparison, evidence)
                            + (gate.RequiresSignificance && evidence is null ? " The gate asks for a significant change, but with no interval on the same test rows it judges the change alone." : ""));
                        failed = true;
                    }
                }
            }
            // In warn mode a failed gate is reported but does not stop the build or the model's acceptance.
            ok &= !failed || manifest.GatesAreWarnings;
            var skipped = (gate.MaxIncrease is not null || gate.MaxDecrease is not null) && (baseline is null || !baseline.ContainsKey(gate.Metric));
            results.Add(new GateResult(gate.Metric, Bounds(gate), value, failed ? "fail" : skipped && gate.Min is null && gate.Max is null ? "skipped (no accepted model)" : "pass"));
            if (!failed && (gate.Min is not null || gate.Max is not null))
            {
                passed.Add($"{gate.Metric} {Format(value)}{(gate.Min is { } lo ? " ≥ " + Format(lo) : "")}{(gate.Max is { } hi ? " ≤ " + Format(hi) : "")}");
            }
        }
        if (skippedChangeGates > 0)
        {
            diagnostics.Add(D.ChangeGatesSkipped, FileLocation.File(manifest.Path),
                $"{manifest.Name}: {skippedChangeGates} gate(s) on change (maxIncrease/maxDecrease) skipped: there is no accepted model to compare with yet ({Path.GetFileName(ModelLock.PathFor(manifest.Path))}).");
        }
        if (passed.Count > 0)
        {
            diagnostics.Add(D.GatesPassed, FileLocation.File(manifest.Path), $"{manifest.Name} passed its gates: {string.Join(", ", passed)}.");
        }
        return ok;
    }

    /// <summary>What the comparison on the same test rows says of a change, or why there is none.</summary>
    internal static string Evidence(ModelComparison? comparison, MetricComparison? evidence) => (comparison, evidence) switch
    {
        ({ } c, { } m) => $" On the same {c.Rows} test rows the accepted model measures {Format(m.Accepted)} and this one {Format(m.Current)}: {m.Describe(c)}, {(m.IsSignificant ? "more than noise" : "within noise")}.",
        ({ Problem: { } problem }, _) => $" No interval: {problem}.",
        ({ }, null) => " No interval: this metric has no resampled form.",
        // Not compared (the accepted model is in no cache, or this model came from one): the lock's metrics are all there is.
        _ => "",
    };

    internal static string Bounds(GateSpec gate) => string.Join(", ", new[]
    {
        gate.Min is { } min ? "≥ " + Format(min) : null,
        gate.Max is { } max ? "≤ " + Format(max) : null,
        gate.MaxIncrease is { } up ? "rise ≤ " + Change(up, gate.ChangeIsRelative) : null,
        gate.MaxDecrease is { } down ? "fall ≤ " + Change(down, gate.ChangeIsRelative) : null,
        gate.RequiresSignificance ? "if significant" : null,
    }.Where(b => b is not null));

    private static string Change(double bound, bool relative) => relative ? Format(bound * 100) + "%" : Format(bound);

    private static string Allowed(double bound, double scale, bool relative) =>
        relative ? $"{Format(bound * 100)}% ({Format(bound * scale)})" : Format(bound);

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>One gate's outcome: "pass", "fail", "not measured" or "skipped (no accepted model)".</summary>
public sealed record GateResult(string Metric, string Bounds, double? Value, string Outcome);

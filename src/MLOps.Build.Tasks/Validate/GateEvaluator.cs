using System.Globalization;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticDescriptors;

namespace MLOps.Build.Tasks.Validate;

/// <summary>
/// Checks a model's test metrics against the manifest's gates. Runs on every build (reading two small files),
/// so editing a gate re-validates without retraining. Bounds on change (maxIncrease/maxDecrease) need an
/// accepted baseline; until there is one they are skipped, and the build says so.
/// </summary>
public static class GateEvaluator
{
    public static void Evaluate(ModelManifest manifest, string metricsPath, DiagnosticBag diagnostics)
    {
        if (manifest.Gates.Count == 0)
        {
            return;
        }
        Dictionary<string, double> metrics;
        try
        {
            metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllBytes(metricsPath)) ?? [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            diagnostics.Add(D.MetricNotMeasured, SourceLocation.File(manifest.Path), $"Cannot read the metrics of {manifest.Name} ('{metricsPath}'): {ex.Message}");
            return;
        }

        var passed = new List<string>();
        var skippedChangeGates = 0;
        foreach (var gate in manifest.Gates)
        {
            if (!metrics.TryGetValue(gate.Metric, out var value))
            {
                diagnostics.Add(D.MetricNotMeasured, gate.Location,
                    $"{manifest.Name} has no measured '{gate.Metric}' (measured: {(metrics.Count == 0 ? "none" : string.Join(", ", metrics.Keys))}), so its gate cannot pass.");
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
                skippedChangeGates++;
            }
            if (!failed && (gate.Min is not null || gate.Max is not null))
            {
                passed.Add($"{gate.Metric} {Format(value)}{(gate.Min is { } lo ? " ≥ " + Format(lo) : "")}{(gate.Max is { } hi ? " ≤ " + Format(hi) : "")}");
            }
        }
        if (skippedChangeGates > 0)
        {
            diagnostics.Add(D.ChangeGatesSkipped, SourceLocation.File(manifest.Path),
                $"{manifest.Name}: {skippedChangeGates} gate(s) on change (maxIncrease/maxDecrease) skipped: there is no accepted model to compare with yet.");
        }
        if (passed.Count > 0)
        {
            diagnostics.Add(D.GatesPassed, SourceLocation.File(manifest.Path), $"{manifest.Name} passed its gates: {string.Join(", ", passed)}.");
        }
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

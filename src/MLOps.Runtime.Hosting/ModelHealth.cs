using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MLOps.Runtime.Monitoring;

namespace MLOps.Runtime.Hosting;

/// <summary>
/// The health rule, from a model's monitors, the manifest's thresholds and the options: Unhealthy when a live gate is
/// breached; Degraded when a feature drifts (PSI at least its warning level), a live metric is worse than its test
/// value by more than <see cref="MLOpsModelOptions.QualityMargin"/>, or the accuracy estimated without labels breaks a
/// gate on it (<c>estimated.MicroAccuracy</c>); else Healthy. Judged over the first configured
/// window, once it holds enough values and outcomes. Configuration overrides the manifest (<see cref="DriftWarning"/>,
/// <see cref="Gates"/>).
/// </summary>
internal static class ModelHealth
{
    /// <summary>A feature's PSI warning level: configured for all, else the manifest's for the feature or for all, else the default.</summary>
    public static double DriftWarning(string feature, MonitoringThresholds manifest, MLOpsModelOptions options) =>
        options.DriftWarning
        ?? (manifest.FeatureDriftWarnings.TryGetValue(feature, out var own) ? own : manifest.DriftWarning)
        ?? MLOpsModelOptions.DefaultDriftWarning;

    /// <summary>The live gates: the manifest's, each replaced by a configured gate on the same metric, and the configured others.</summary>
    public static IReadOnlyList<LiveGate> Gates(MonitoringThresholds manifest, MLOpsModelOptions options) =>
        manifest.Gates.Where(g => !options.Gates.ContainsKey(g.Metric))
            .Concat(options.Gates.Select(g => new LiveGate(g.Key, g.Value.Min, g.Value.Max)))
            .ToArray();

    public static HealthCheckResult Judge(string model, DriftMonitor? drift, OutcomeTracker? outcomes, MonitoringThresholds manifest, MLOpsModelOptions options,
        TrafficCapture? capture = null)
    {
        // The window the model was loaded with (not the options parsed again on every check).
        var window = (drift?.Windows ?? outcomes?.Windows ?? []).FirstOrDefault()?.Name ?? DriftWindow.AllTime;
        var data = new Dictionary<string, object> { ["window"] = window };
        var unhealthy = new List<string>();
        var degraded = new List<string>();

        if (drift is not null)
        {
            foreach (var feature in drift.Snapshot(window))
            {
                if (double.IsNaN(feature.Psi))
                {
                    continue;
                }
                data["psi." + feature.Feature] = Math.Round(feature.Psi, 4);
                var warning = DriftWarning(feature.Feature, manifest, options);
                if (feature.Rows >= options.MinimumRows && feature.Psi >= warning)
                {
                    degraded.Add(F($"feature '{feature.Feature}' drifts (PSI {feature.Psi:0.###} over {window}, warning at {warning:0.###})"));
                }
            }
        }
        if (drift?.Estimate(window) is { Value: var estimate, Rows: > 0 } estimated)
        {
            data["estimated." + estimated.Metric] = Math.Round(estimate, 6);
            // A gate on the estimate (the manifest's "estimated.MicroAccuracy") degrades, never fails: an estimate from
            // confidence is only as good as the calibration, and the live gates judge the outcomes themselves.
            foreach (var gate in Gates(manifest, options).Where(g => g.Metric == "estimated." + estimated.Metric && estimated.Rows >= options.MinimumRows))
            {
                if (gate.Min is { } min && estimate < min)
                {
                    degraded.Add(F($"estimated {estimated.Metric} {estimate:0.####} over {window} (without labels) is below the gate's {min:0.####}"));
                }
                if (gate.Max is { } max && estimate > max)
                {
                    degraded.Add(F($"estimated {estimated.Metric} {estimate:0.####} over {window} (without labels) is above the gate's {max:0.####}"));
                }
            }
        }
        if (outcomes is not null)
        {
            var live = outcomes.LiveMetrics(window);
            var count = live.TryGetValue("Outcomes", out var n) ? (long)n : 0;
            data["outcomes"] = count;
            foreach (var (metric, value) in live.Where(m => m.Key != "Outcomes"))
            {
                data["live." + metric] = Math.Round(value, 6);
            }
            if (count >= options.MinimumOutcomes)
            {
                foreach (var gate in Gates(manifest, options))
                {
                    if (!live.TryGetValue(gate.Metric, out var value))
                    {
                        continue;
                    }
                    if (gate.Min is { } min && value < min)
                    {
                        unhealthy.Add(F($"live {gate.Metric} {value:0.####} over {window} is below the gate's {min:0.####}"));
                    }
                    if (gate.Max is { } max && value > max)
                    {
                        unhealthy.Add(F($"live {gate.Metric} {value:0.####} over {window} is above the gate's {max:0.####}"));
                    }
                }
                foreach (var (metric, test) in outcomes.TestMetrics)
                {
                    if (!live.TryGetValue(metric, out var value))
                    {
                        continue;
                    }
                    data["test." + metric] = Math.Round(test, 6);
                    var worse = LiveMetricDirections.LowerIsBetter(metric) ? value - test : test - value;
                    if (worse > options.QualityMargin)
                    {
                        degraded.Add(F($"live {metric} {value:0.####} over {window} is worse than the test set's {test:0.####} by more than {options.QualityMargin:0.###}"));
                    }
                }
            }
        }

        if (capture is not null)
        {
            // Capture serves the next build, not this one's answers: its figures are reported, its failures logged, the state unchanged.
            data["capture.written"] = capture.Written;
            data["capture.dropped"] = capture.Dropped;
            data["capture.failures"] = capture.Failures;
        }

        var readOnly = (IReadOnlyDictionary<string, object>)data;
        if (unhealthy.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"{model}: {string.Join("; ", unhealthy.Concat(degraded))}", data: readOnly);
        }
        if (degraded.Count > 0)
        {
            return HealthCheckResult.Degraded($"{model}: {string.Join("; ", degraded)}", data: readOnly);
        }
        return HealthCheckResult.Healthy(drift is null && outcomes is null
            ? $"{model}: loaded (not monitored)"
            : $"{model}: no drift and no live metric below its test value over {window}", readOnly);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

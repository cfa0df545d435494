using MLOps.Build.Json;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

public sealed partial class ManifestParser
{
    internal static readonly string[] GateKeys = ["metric", "min", "max", "maxIncrease", "maxDecrease", "significant"];

    private IReadOnlyList<GateSpec> ParseGates(LocatedObject root, ModelTask task, bool taskKnown)
    {
        if (_read.Optional<LocatedArray>(root, "gates", "an array of gates such as { \"metric\": \"MacroAccuracy\", \"min\": 0.9 }") is not { } found)
        {
            return [];
        }
        var array = found.Value;
        var result = new List<GateSpec>();
        foreach (var item in array.Items)
        {
            if (item is not LocatedObject gate)
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"A gate is an object such as {{ \"metric\": \"MacroAccuracy\", \"min\": 0.9 }}; found a {item.KindName}.");
                continue;
            }
            _read.CheckKeys(gate, GateKeys, "gates[].");
            var metric = _read.RequiredString(gate, "metric", "gates[].");
            if (metric is null)
            {
                continue;
            }
            if (taskKnown && !MetricCatalog.IsKnown(task, metric.Value.Text))
            {
                var estimated = MetricCatalog.Estimated(task) is { } e ? MetricCatalog.EstimatedPrefix + e : null;
                var known = MetricCatalog.For(task).Concat(estimated is null ? [] : [estimated]).ToArray();
                _diagnostics.Add(D.UnknownMetric, metric.Value.Location,
                    $"Unknown metric '{metric.Value.Text}' for task '{task.ToName()}'.{Suggestions.DidYouMean(metric.Value.Text, known)} Known metrics: {string.Join(", ", known)}{(estimated is null ? "" : $" ({estimated}: estimated without labels on drift.current)")}.");
            }
            var min = _read.OptionalNumber(gate, "min", double.MinValue, double.MaxValue, integer: false);
            var max = _read.OptionalNumber(gate, "max", double.MinValue, double.MaxValue, integer: false);
            var (maxIncrease, increaseRelative) = ChangeBound(gate, "maxIncrease");
            var (maxDecrease, decreaseRelative) = ChangeBound(gate, "maxDecrease");
            if (maxIncrease is not null && maxDecrease is not null && increaseRelative != decreaseRelative)
            {
                _diagnostics.Add(D.InvalidValue, gate.Location, $"The gate on '{metric.Value.Text}' mixes an absolute and a relative change bound; use one form for both.");
            }
            if (MetricCatalog.IsEstimated(metric.Value.Text) && (gate.Find("maxIncrease") ?? gate.Find("maxDecrease")) is { } change)
            {
                _diagnostics.Add(D.InvalidGate, change.NameLocation,
                    $"The gate on '{metric.Value.Text}' takes 'min' and 'max': an estimate on current data is not compared with the accepted model's.");
            }
            // Presence, not validity: a malformed bound has been reported already.
            if (new[] { "min", "max", "maxIncrease", "maxDecrease" }.All(key => gate.Find(key) is null))
            {
                _diagnostics.Add(D.InvalidGate, gate.Location, $"The gate on '{metric.Value.Text}' sets no bound; add 'min', 'max', 'maxIncrease' or 'maxDecrease'.");
            }
            var significant = _read.OptionalBool(gate, "significant") ?? false;
            if (significant && maxIncrease is null && maxDecrease is null && gate.Find("significant") is { } flag)
            {
                _diagnostics.Add(D.InvalidGate, flag.NameLocation,
                    $"The gate on '{metric.Value.Text}' asks for a significant change but bounds no change; 'significant' goes with 'maxIncrease' or 'maxDecrease'.");
            }
            result.Add(new GateSpec(metric.Value.Text, gate.Location, min, max, maxIncrease, maxDecrease, increaseRelative || decreaseRelative) { RequiresSignificance = significant });
        }
        return result;
    }

    /// <summary>A change bound: a number (absolute) or a percentage string such as "5%" (of the accepted value).</summary>
    private (double? Value, bool Relative) ChangeBound(LocatedObject gate, string key)
    {
        var property = gate.Find(key);
        if (property?.Value is LocatedScalar { Kind: LocatedKind.String } text)
        {
            var trimmed = text.Text!.Trim();
            if (trimmed.EndsWith("%", StringComparison.Ordinal)
                && double.TryParse(trimmed.Substring(0, trimmed.Length - 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent)
                && percent >= 0)
            {
                return (percent / 100, true);
            }
            _diagnostics.Add(D.InvalidValue, text.Location, $"'{key}' must be a number or a percentage such as \"5%\"; found \"{text.Text}\".");
            return (null, false);
        }
        return (_read.OptionalNumber(gate, key, 0, double.MaxValue, integer: false), false);
    }
}

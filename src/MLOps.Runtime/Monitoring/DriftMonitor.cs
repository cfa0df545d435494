using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Watches what a deployed model scores: counts every input into its training bins (lock-free, striped per processor)
/// since the monitor started and over sliding windows of recent traffic (<see cref="ModelSessionOptions.DriftWindows"/>),
/// and publishes, through <see cref="System.Diagnostics.Metrics"/> under the meter <see cref="MeterName"/>, the rows
/// scored, the time per scoring call, and per feature and window the PSI against the training data and the shares of
/// missing, unseen and out-of-range values. Opt in with <see cref="ModelSessionOptions.MonitorDrift"/>; watch with
/// <c>dotnet-counters monitor --counters MLOps.Runtime</c> or an OpenTelemetry meter provider.
/// </summary>
public sealed class DriftMonitor : IDisposable
{
    /// <summary>The meter every MLOps.Runtime instrument belongs to.</summary>
    public const string MeterName = "MLOps.Runtime";

    private readonly Meter _meter;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _duration;
    private readonly FeatureCounts[] _features;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly TimeProvider _time;
    private readonly ConfidenceEstimate? _estimate;

    internal DriftMonitor(string modelName, ModelSchema schema, IReadOnlyList<DriftWindow>? windows = null, TimeProvider? time = null)
    {
        ModelName = modelName;
        Windows = windows ?? [];
        _time = time ?? TimeProvider.System;
        _modelTag = new("mlops.model", modelName);
        _features = schema.Inputs.Select((input, index) => (input, index))
            .Where(x => x.input.DriftReference is not null && x.input.Width == 1)
            .Select(x => new FeatureCounts(x.input, x.index, Windows, _time)).ToArray();
        _estimate = ConfidenceEstimate.For(schema, Windows, _time);
        _meter = new Meter(MeterName, typeof(DriftMonitor).Assembly.GetName().Version?.ToString());
        _predictions = _meter.CreateCounter<long>("mlops.model.predictions", "{row}", "Rows scored by the model.");
        _duration = _meter.CreateHistogram<double>("mlops.model.duration", "ms", "Time of one scoring call (one row or one batch).");
        _meter.CreateObservableGauge("mlops.model.feature.psi", () => Observe(d => d.Psi), null,
            "Population stability index of each feature's inputs against the training data, per window (mlops.window: all, or a window such as 15m); 0: same, above 0.1: drifting.");
        _meter.CreateObservableGauge("mlops.model.feature.missing_ratio", () => Observe(d => d.MissingShare), null,
            "Share of each feature's inputs that were missing, per window.");
        _meter.CreateObservableGauge("mlops.model.feature.unseen_ratio", () => Observe(d => d.UnseenShare), null,
            "Share of each category feature's present inputs never seen in training, per window.");
        _meter.CreateObservableGauge("mlops.model.feature.out_of_range_ratio", () => Observe(d => d.OutOfRangeShare), null,
            "Share of each numeric feature's present inputs outside the training range, per window.");
        _meter.CreateObservableCounter("mlops.model.feature.observed", ObserveCounts, "{value}",
            "Present (non-missing) values of each feature counted into the training bins.");
        if (_estimate is not null)
        {
            _meter.CreateObservableGauge("mlops.model.estimated.metric", ObserveEstimates, null,
                "Accuracy estimated without labels from the predicted classes' probabilities (confidence-based), per window, by ML.NET's metric name (mlops.metric).");
        }
        _meter.CreateObservableCounter("mlops.model.drift.dropped", () => new Measurement<long>(Dropped, _modelTag), "{value}",
            "Values left out of a window because their period had already turned over while they were counted.");
    }

    /// <summary>The model the instruments are tagged with (<c>mlops.model</c>).</summary>
    public string ModelName { get; }

    /// <summary>Features watched: inputs with training statistics.</summary>
    public IReadOnlyList<string> Features => _features.Select(f => f.Name).ToArray();

    /// <summary>The windows of recent traffic reported besides everything since the monitor started.</summary>
    public IReadOnlyList<DriftWindow> Windows { get; }

    /// <summary>Values left out of a window because their period turned over while they were being counted.</summary>
    public long Dropped => _features.Sum(f => f.Windows.Sum(w => w.Dropped));

    /// <summary>
    /// Each watched feature's PSI over everything scored so far, or over the window named <paramref name="window"/>
    /// (<see cref="DriftWindow.Name"/>); NaN before the first value.
    /// </summary>
    public IReadOnlyDictionary<string, double> PopulationStabilityIndex(string? window = null) =>
        Snapshot(window ?? DriftWindow.AllTime).ToDictionary(d => d.Feature, d => d.Psi);

    /// <summary>
    /// Every feature's figures over everything scored so far and over each window (<paramref name="window"/> null), or
    /// over one window (<see cref="DriftWindow.AllTime"/> for everything so far).
    /// </summary>
    public IReadOnlyList<FeatureDrift> Snapshot(string? window = null)
    {
        if (window is not null)
        {
            DriftWindow.Check(window, Windows, "monitor");
        }
        var results = new List<FeatureDrift>();
        foreach (var feature in _features)
        {
            if (window is null || window == DriftWindow.AllTime)
            {
                results.Add(feature.Snapshot(null));
            }
            results.AddRange(feature.Windows.Where(w => window is null || window == w.Window.Name).Select(feature.Snapshot));
        }
        return results;
    }

    /// <summary>
    /// The classifier's accuracy estimated without labels (confidence-based: the mean probability of the predicted
    /// class, right for a calibrated model) since the start (<paramref name="window"/> null) or over a window; null
    /// for a model that is not a trained classifier. <see cref="EstimatedMetric.Value"/> is NaN before the first row.
    /// </summary>
    public EstimatedMetric? Estimate(string? window = null)
    {
        if (_estimate is null)
        {
            return null;
        }
        var name = DriftWindow.Check(window, Windows, "monitor");
        var (value, rows) = _estimate.Estimate(name);
        return new EstimatedMetric(_estimate.Metric, name, value, rows);
    }

    /// <summary>Called by <see cref="ModelBatch.Run()"/> after every scoring call.</summary>
    internal void Record(ModelBatch batch, ModelResults results, long startTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        _predictions.Add(batch.Rows, _modelTag);
        _duration.Record(elapsed.TotalMilliseconds, _modelTag);
        // One clock read and one stripe for the whole call, shared by every feature.
        Span<long> periods = stackalloc long[Windows.Count];
        if (Windows.Count > 0)
        {
            var now = _time.GetUtcNow().UtcTicks;
            for (var w = 0; w < periods.Length; w++)
            {
                periods[w] = Windows[w].PeriodOf(now);
            }
        }
        var stripe = Stripes.Current();
        foreach (var feature in _features)
        {
            feature.Count(batch, periods, stripe);
        }
        _estimate?.Record(results, periods, stripe);
    }

    /// <summary>Stops publishing.</summary>
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(Func<FeatureDrift, double> figure)
    {
        foreach (var drift in Snapshot())
        {
            var value = figure(drift);
            if (!double.IsNaN(value))
            {
                yield return new Measurement<double>(value, _modelTag,
                    new KeyValuePair<string, object?>("mlops.feature", drift.Feature), new KeyValuePair<string, object?>("mlops.window", drift.Window));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveEstimates()
    {
        foreach (var window in Windows.Select(w => w.Name).Prepend(DriftWindow.AllTime))
        {
            if (Estimate(window) is { Value: var value, Metric: var metric } && !double.IsNaN(value))
            {
                yield return new Measurement<double>(value, _modelTag, new("mlops.metric", metric), new("mlops.window", window));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveCounts() =>
        Snapshot(DriftWindow.AllTime).Select(d => new Measurement<long>(d.Rows - d.Missing, _modelTag, new KeyValuePair<string, object?>("mlops.feature", d.Feature)));
}

/// <summary>A metric estimated without labels over a window.</summary>
/// <param name="Metric">The metric, by ML.NET's name (<c>Accuracy</c>, <c>MicroAccuracy</c>).</param>
/// <param name="Window">The window (<see cref="DriftWindow.AllTime"/> for everything since the start).</param>
/// <param name="Value">The estimate; NaN before the first row.</param>
/// <param name="Rows">The rows it is estimated from.</param>
public sealed record EstimatedMetric(string Metric, string Window, double Value, long Rows);

using System.Diagnostics.Metrics;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Live quality from ground truth: a prediction scored with a key (the generated <c>Predict(input, key)</c>) waits,
/// in bounded memory, for its outcome (<c>RecordOutcome(key, actual)</c>, minutes or days later); each outcome adds
/// to the task's metrics since the tracker started and over the drift windows, by ML.NET's names, beside the test
/// metrics the build measured. Opt in with <see cref="ModelSessionOptions.TrackOutcomes"/>.
/// </summary>
/// <remarks>
/// Never grows without bound: beyond <see cref="ModelSessionOptions.MaxPendingOutcomes"/> (rounded up to a multiple
/// of 64) the oldest waiting predictions are evicted (<see cref="Evicted"/>; oldest within one of 64 shards by key, each
/// behind its own short lock); an outcome for a key that is not waiting (unknown, evicted or
/// reported already) is counted (<see cref="UnknownOutcomes"/>) and changes no figure. An outcome the model cannot
/// have predicted (an unknown class, NaN) is refused with an <see cref="ArgumentException"/> and leaves the prediction
/// waiting.
/// </remarks>
public sealed class OutcomeTracker : IDisposable
{
    private readonly WaitingPredictions<Waiting> _waiting;
    private readonly Dictionary<string, int> _classIndex;
    private readonly OutcomeFigures _allTime;
    private readonly WindowCounts<OutcomeFigures>[] _windows;
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private readonly Counter<long> _outcomes;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly TrafficCapture? _capture;
    private long _unknown;

    /// <param name="modelName">The model the instruments are tagged with.</param>
    /// <param name="schema">The model's task, classes and test metrics.</param>
    /// <param name="options">Windows, the waiting bound and the clock.</param>
    /// <param name="capture">Captures the outcomes of captured keys (beside their rows), when traffic capture is on.</param>
    internal OutcomeTracker(string modelName, ModelSchema schema, ModelSessionOptions options, TrafficCapture? capture = null)
    {
        _capture = capture;
        ModelName = modelName;
        Task = schema.Task ?? throw new ArgumentException("Outcomes are tracked for trained models (binary, multiclass, regression).", nameof(schema));
        Classes = schema.Classes ?? [];
        TestMetrics = schema.TestMetrics ?? new Dictionary<string, double>();
        // MaxPendingOutcomes was checked with the other options (ModelSessionOptions.Problems) before loading.
        _waiting = new WaitingPredictions<Waiting>(options.MaxPendingOutcomes);
        _classIndex = Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        _time = options.TimeProvider;
        _allTime = new OutcomeFigures(Task, Classes.Count);
        Windows = [.. options.DriftWindows];
        _windows = Windows.Select(w => new WindowCounts<OutcomeFigures>(w, () => new OutcomeFigures(Task, Classes.Count), _time)).ToArray();
        _modelTag = new("mlops.model", modelName);
        _meter = new Meter(DriftMonitor.MeterName, typeof(OutcomeTracker).Assembly.GetName().Version?.ToString());
        _outcomes = _meter.CreateCounter<long>("mlops.model.outcomes", "{outcome}", "Outcomes recorded for predictions scored with a key.");
        _meter.CreateObservableGauge("mlops.model.outcomes.pending", () => new Measurement<long>(Pending, _modelTag), "{prediction}",
            "Predictions scored with a key still waiting for their outcome.");
        _meter.CreateObservableCounter("mlops.model.outcomes.evicted", () => new Measurement<long>(Evicted, _modelTag), "{prediction}",
            "Predictions that waited longest, dropped to keep at most MaxPendingOutcomes waiting.");
        _meter.CreateObservableCounter("mlops.model.outcomes.unknown", () => new Measurement<long>(UnknownOutcomes, _modelTag), "{outcome}",
            "Outcomes for keys that were not waiting (never scored, evicted or reported already).");
        _meter.CreateObservableGauge("mlops.model.live.metric", ObserveLive, null,
            "The model's metrics over recorded outcomes, per window (mlops.window: all, or a window such as 15m), by ML.NET's metric names (mlops.metric).");
        _meter.CreateObservableGauge("mlops.model.test.metric", ObserveTest, null,
            "The metrics the build measured on the test set, for comparison with mlops.model.live.metric.");
    }

    /// <summary>The model the instruments are tagged with (<c>mlops.model</c>).</summary>
    public string ModelName { get; }

    /// <summary>What the model predicts.</summary>
    public PredictionTask Task { get; }

    /// <summary>The classes a multiclass model predicts (its outcomes must be one of them).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The metrics the build measured on the test set (the model card's).</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; }

    /// <summary>The windows live metrics are reported over besides everything since the start.</summary>
    public IReadOnlyList<DriftWindow> Windows { get; }

    /// <summary>Predictions waiting for their outcome.</summary>
    public long Pending => _waiting.Count;

    /// <summary>Predictions dropped (oldest first) to keep at most MaxPendingOutcomes waiting.</summary>
    public long Evicted => _waiting.Evicted;

    /// <summary>Outcomes for keys that were not waiting.</summary>
    public long UnknownOutcomes => Volatile.Read(ref _unknown);

    /// <summary>Called by a generated multiclass class: the prediction scored with <paramref name="key"/>.</summary>
    public void Track(string key, string predicted, float[] scores)
    {
        ArgumentNullException.ThrowIfNull(key);
        Wait(key, new Waiting(_classIndex.TryGetValue(predicted ?? "", out var c) ? c : -1, 0, scores));
    }

    /// <summary>Called by a generated binary class.</summary>
    public void Track(string key, bool predicted, float probability)
    {
        ArgumentNullException.ThrowIfNull(key);
        Wait(key, new Waiting(predicted ? 1 : 0, probability, null));
    }

    /// <summary>Called by a generated regression class.</summary>
    public void Track(string key, float predicted)
    {
        ArgumentNullException.ThrowIfNull(key);
        Wait(key, new Waiting(0, predicted, null));
    }

    /// <summary>The actual class of the prediction scored with <paramref name="key"/>; false when no such prediction waits.</summary>
    /// <exception cref="ArgumentException">The model is not multiclass, or <paramref name="actual"/> is not one of its classes.</exception>
    public bool RecordOutcome(string key, string actual)
    {
        ArgumentNullException.ThrowIfNull(key);
        Expect(PredictionTask.Multiclass, "a class name");
        if (actual is null || !_classIndex.TryGetValue(actual, out var index))
        {
            // The outcome comes from outside (a client, a queue): quoted on one line and cut, as the build quotes data.
            throw new ArgumentException($"'{Quoted(actual)}' is not a class of {ModelName} ({MLOps.Shared.TextLimits.List(Classes)}).", nameof(actual));
        }
        _capture?.RecordOutcome(key, actual);
        if (!Take(key, out var waiting))
        {
            return false;
        }
        var probability = index < waiting.Scores!.Length ? waiting.Scores[index] : 0f;
        Add(new Outcome(PredictionTask.Multiclass, waiting.Class, probability, index));
        return true;
    }

    /// <summary>The actual label of the binary prediction scored with <paramref name="key"/>; false when no such prediction waits.</summary>
    public bool RecordOutcome(string key, bool actual)
    {
        ArgumentNullException.ThrowIfNull(key);
        Expect(PredictionTask.Binary, "true or false");
        _capture?.RecordOutcome(key, actual);
        if (!Take(key, out var waiting))
        {
            return false;
        }
        Add(new Outcome(PredictionTask.Binary, waiting.Class, waiting.Number, actual ? 1 : 0));
        return true;
    }

    /// <summary>The actual value of the regression prediction scored with <paramref name="key"/>; false when no such prediction waits.</summary>
    public bool RecordOutcome(string key, float actual)
    {
        ArgumentNullException.ThrowIfNull(key);
        Expect(PredictionTask.Regression, "a number");
        if (!float.IsFinite(actual))
        {
            throw new ArgumentException($"The outcome of a regression must be a finite number, not {actual}.", nameof(actual));
        }
        _capture?.RecordOutcome(key, actual);
        if (!Take(key, out var waiting))
        {
            return false;
        }
        Add(new Outcome(PredictionTask.Regression, 0, waiting.Number, actual));
        return true;
    }

    /// <summary>
    /// The live metrics over every outcome so far (<paramref name="window"/> null or <see cref="DriftWindow.AllTime"/>)
    /// or over a window, by ML.NET's names (plus <c>Outcomes</c>, how many they are computed from).
    /// </summary>
    public IReadOnlyDictionary<string, double> LiveMetrics(string? window = null)
    {
        var name = DriftWindow.Check(window, Windows, "tracker");
        return name == DriftWindow.AllTime
            ? OutcomeFigures.Metrics(Task, Classes.Count, [_allTime])
            : OutcomeFigures.Metrics(Task, Classes.Count, _windows.First(w => w.Window.Name == name).Current());
    }

    /// <summary>Stops publishing.</summary>
    public void Dispose() => _meter.Dispose();

    private void Wait(string key, Waiting waiting) => _waiting.Add(key, waiting);

    private bool Take(string key, out Waiting waiting)
    {
        if (_waiting.TryTake(key, out waiting))
        {
            _outcomes.Add(1, _modelTag);
            return true;
        }
        Interlocked.Increment(ref _unknown);
        return false;
    }

    /// <summary>Adds one outcome to the figures since the start and to each window's current period (no allocation).</summary>
    private void Add(Outcome outcome)
    {
        var stripe = Stripes.Current();
        outcome.AddTo(_allTime, stripe);
        if (_windows.Length == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var window in _windows)
        {
            if (window.For(window.Window.PeriodOf(now)) is { } bucket)
            {
                outcome.AddTo(bucket, stripe);
            }
        }
    }

    private void Expect(PredictionTask task, string what)
    {
        if (Task != task)
        {
            throw new ArgumentException($"{ModelName} is a {Task.ToString().ToLowerInvariant()} model; its outcomes are not {what}.");
        }
    }

    private IEnumerable<Measurement<double>> ObserveLive()
    {
        foreach (var window in Windows.Select(w => w.Name).Prepend(DriftWindow.AllTime))
        {
            foreach (var (metric, value) in LiveMetrics(window))
            {
                if (metric != "Outcomes")
                {
                    yield return new Measurement<double>(value, _modelTag, new("mlops.metric", metric), new("mlops.window", window));
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveTest() =>
        TestMetrics.Select(m => new Measurement<double>(m.Value, _modelTag, new("mlops.metric", m.Key)));

    /// <param name="Class">The predicted class (multiclass), 1/0 (binary); -1 when the prediction was not a known class.</param>
    /// <param name="Number">The probability of true (binary) or the predicted value (regression).</param>
    /// <param name="Scores">The scores per class (multiclass).</param>
    private readonly record struct Waiting(int Class, float Number, float[]? Scores);

    /// <param name="Task">Which figures the outcome adds to.</param>
    /// <param name="Predicted">The predicted class (multiclass), 1/0 (binary).</param>
    /// <param name="Number">The actual class's probability (multiclass), the probability of true (binary), the prediction (regression).</param>
    /// <param name="Actual">The actual class (multiclass), 1/0 (binary), the actual value (regression).</param>
    private readonly record struct Outcome(PredictionTask Task, int Predicted, float Number, float Actual)
    {
        public void AddTo(OutcomeFigures figures, int stripe)
        {
            switch (Task)
            {
                case PredictionTask.Multiclass:
                    figures.AddClass(stripe, Predicted, Number, (int)Actual);
                    break;
                case PredictionTask.Binary:
                    figures.AddBinary(stripe, Predicted == 1, Number, Actual == 1);
                    break;
                default:
                    figures.AddValue(stripe, Number, Actual);
                    break;
            }
        }
    }

    /// <summary>An outside value as a message quotes it: invisible characters as codes, cut to 80 characters.</summary>
    private static string Quoted(string? value) => value is null ? "(null)" : MLOps.Shared.InvisibleCharacters.Shown(MLOps.Shared.TextLimits.Quoted(value));
}

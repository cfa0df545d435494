using System.Diagnostics;
using System.Diagnostics.Metrics;
using MLOps.Shared;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Watches what a deployed model scores: counts every input into its training bins (lock-free) and publishes,
/// through <see cref="System.Diagnostics.Metrics"/> under the meter <see cref="MeterName"/>, the rows scored,
/// the time per scoring call, and each feature's PSI against the training data. Opt in with
/// <see cref="ModelSessionOptions.MonitorDrift"/>; watch with <c>dotnet-counters monitor --counters MLOps.Runtime</c>
/// or an OpenTelemetry meter provider.
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

    internal DriftMonitor(string modelName, ModelSchema schema)
    {
        ModelName = modelName;
        _modelTag = new("mlops.model", modelName);
        _features = schema.Inputs.Select((input, index) => (input, index))
            .Where(x => x.input.DriftReference is not null && x.input.Width == 1)
            .Select(x => new FeatureCounts(x.input, x.index)).ToArray();
        _meter = new Meter(MeterName, typeof(DriftMonitor).Assembly.GetName().Version?.ToString());
        _predictions = _meter.CreateCounter<long>("mlops.model.predictions", "{row}", "Rows scored by the model.");
        _duration = _meter.CreateHistogram<double>("mlops.model.duration", "ms", "Time of one scoring call (one row or one batch).");
        _meter.CreateObservableGauge("mlops.model.feature.psi", ObservePsi, null,
            "Population stability index of each feature's inputs so far against the training data (0: same; above 0.1: drifting).");
        _meter.CreateObservableCounter("mlops.model.feature.observed", ObserveCounts, "{value}",
            "Present (non-missing) values of each feature counted into the training bins.");
    }

    /// <summary>The model the instruments are tagged with (<c>mlops.model</c>).</summary>
    public string ModelName { get; }

    /// <summary>Features watched: inputs with training statistics.</summary>
    public IReadOnlyList<string> Features => _features.Select(f => f.Name).ToArray();

    /// <summary>Each watched feature's PSI over everything scored so far; NaN before the first value.</summary>
    public IReadOnlyDictionary<string, double> PopulationStabilityIndex() =>
        _features.ToDictionary(f => f.Name, f => f.Psi());

    /// <summary>Called by <see cref="ModelBatch.Run"/> after every scoring call.</summary>
    internal void Record(ModelBatch batch, long startTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        _predictions.Add(batch.Rows, _modelTag);
        _duration.Record(elapsed.TotalMilliseconds, _modelTag);
        foreach (var feature in _features)
        {
            feature.Count(batch);
        }
    }

    /// <summary>Stops publishing.</summary>
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> ObservePsi()
    {
        foreach (var feature in _features)
        {
            var psi = feature.Psi();
            if (!double.IsNaN(psi))
            {
                yield return new Measurement<double>(psi, _modelTag, new KeyValuePair<string, object?>("mlops.feature", feature.Name));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveCounts() =>
        _features.Select(f => new Measurement<long>(f.Total(), _modelTag, new KeyValuePair<string, object?>("mlops.feature", f.Name)));

    /// <summary>One feature's live bin counts. Interlocked increments: scoring threads never wait for each other.</summary>
    private sealed class FeatureCounts
    {
        private readonly DriftReference _reference;
        private readonly int _input;
        private readonly TensorKind _kind;
        private readonly Dictionary<string, int>? _categoryBins;
        private readonly long[] _counts;
        private readonly long[] _trainingCounts;

        public FeatureCounts(ModelInput input, int index)
        {
            Name = input.Name;
            _reference = input.DriftReference!;
            _input = index;
            _kind = input.Kind;
            _counts = new long[_reference.BinCount];
            _trainingCounts = [.. _reference.TrainingCounts];
            if (_reference.Categories is { } categories)
            {
                _categoryBins = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < categories.Count; i++)
                {
                    _categoryBins[categories[i]] = i;
                }
            }
        }

        public string Name { get; }

        public void Count(ModelBatch batch)
        {
            switch (_kind)
            {
                case TensorKind.String when _categoryBins is not null:
                    foreach (var value in batch.Strings(_input))
                    {
                        if (!string.IsNullOrEmpty(value))
                        {
                            Interlocked.Increment(ref _counts[_categoryBins.TryGetValue(value, out var bin) ? bin : _counts.Length - 1]);
                        }
                    }
                    break;
                case TensorKind.Float when _reference.Edges is not null:
                    foreach (var value in batch.Floats(_input))
                    {
                        if (!float.IsNaN(value))
                        {
                            Interlocked.Increment(ref _counts[_reference.BinOf(value)]);
                        }
                    }
                    break;
                case TensorKind.Double when _reference.Edges is not null:
                    foreach (var value in batch.Doubles(_input))
                    {
                        if (!double.IsNaN(value))
                        {
                            Interlocked.Increment(ref _counts[_reference.BinOf(value)]);
                        }
                    }
                    break;
            }
        }

        public long Total()
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }
            return total;
        }

        /// <summary>PSI of the counts so far against the training counts, by the build's own rule (<see cref="PopulationStability"/>).</summary>
        public double Psi()
        {
            var counts = new long[_counts.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Volatile.Read(ref _counts[i]);
            }
            return PopulationStability.Index(_trainingCounts, counts);
        }
    }
}

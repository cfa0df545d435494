using MLOps.Shared;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Accuracy estimated without labels by the rule of <see cref="ClassifierConfidence"/> (the build's estimate on
/// current data applies the same): each row's confidence, calibrated on the test set's bins when the model card has
/// them (<see cref="ModelSchema.CalibrationBinRows"/>), counted for every scored row since the start and per window, in
/// striped sums. Only as good as that calibration: compare it with the live metric where outcomes arrive.
/// </summary>
internal sealed class ConfidenceEstimate
{
    // Sum slots: the predicted class's probability, rows.
    private const int Confidence = 0;
    private const int Rows = 1;

    private readonly int _output;
    private readonly bool _binary;
    private readonly long[]? _binRows;
    private readonly long[]? _binCorrect;
    private readonly StripedSums _allTime = new(2);
    private readonly WindowCounts<StripedSums>[] _windows;

    private ConfidenceEstimate(int output, bool binary, ModelSchema schema, IReadOnlyList<DriftWindow> windows, TimeProvider time)
    {
        _output = output;
        _binary = binary;
        if (schema.CalibrationBinRows is { Count: ClassifierConfidence.CalibrationBins } rows
            && schema.CalibrationBinCorrect is { Count: ClassifierConfidence.CalibrationBins } correct)
        {
            _binRows = [.. rows];
            _binCorrect = [.. correct];
        }
        Metric = binary ? ClassifierConfidence.BinaryMetric : ClassifierConfidence.MulticlassMetric;
        _windows = windows.Select(w => new WindowCounts<StripedSums>(w, () => new StripedSums(2), time)).ToArray();
    }

    /// <summary>The ML.NET metric the estimate stands for: <c>Accuracy</c> (binary) or <c>MicroAccuracy</c> (multiclass).</summary>
    public string Metric { get; }

    /// <summary>An estimate for a trained classifier whose schema fetches its probabilities; null for any other model.</summary>
    public static ConfidenceEstimate? For(ModelSchema schema, IReadOnlyList<DriftWindow> windows, TimeProvider time)
    {
        var (name, binary) = schema.Task switch
        {
            PredictionTask.Binary => (ClassifierConfidence.BinaryOutput, true),
            PredictionTask.Multiclass => (ClassifierConfidence.MulticlassOutput, false),
            _ => (null, false),
        };
        var output = name is null ? -1 : schema.Outputs.ToList().FindIndex(o => o.Name == name && o.Kind == TensorKind.Float && o.Width > 0);
        return output < 0 ? null : new ConfidenceEstimate(output, binary, schema, windows, time);
    }

    /// <summary>Adds the scored rows' confidence (no allocation); rows without a probability (NaN) are left out.</summary>
    public void Record(ModelResults results, ReadOnlySpan<long> periods, int stripe)
    {
        double sum = 0;
        var rows = 0;
        for (var row = 0; row < results.Rows; row++)
        {
            var scores = results.Floats(_output, row);
            var confidence = ClassifierConfidence.Of(scores, _binary);
            if (!float.IsNaN(confidence))
            {
                sum += _binRows is null ? confidence : ClassifierConfidence.Calibrated(confidence, _binRows, _binCorrect);
                rows++;
            }
        }
        if (rows == 0)
        {
            return;
        }
        Add(_allTime, stripe, sum, rows);
        for (var w = 0; w < _windows.Length; w++)
        {
            if (_windows[w].For(periods[w]) is { } bucket)
            {
                Add(bucket, stripe, sum, rows);
            }
        }
    }

    /// <summary>
    /// The estimated accuracy since the start (<see cref="DriftWindow.AllTime"/>) or over a window the caller checked
    /// (<see cref="DriftWindow.Check"/>), with the rows it is estimated from; NaN before the first row.
    /// </summary>
    public (double Value, long Rows) Estimate(string window)
    {
        Span<double> totals = stackalloc double[2];
        totals.Clear();
        if (window == DriftWindow.AllTime)
        {
            _allTime.AddTo(totals);
        }
        else
        {
            foreach (var bucket in _windows.First(w => w.Window.Name == window).Current())
            {
                bucket.AddTo(totals);
            }
        }
        return (totals[Rows] > 0 ? totals[Confidence] / totals[Rows] : double.NaN, (long)totals[Rows]);
    }

    private static void Add(StripedSums sums, int stripe, double confidence, int rows)
    {
        sums.Add(stripe, Confidence, confidence);
        sums.Add(stripe, Rows, rows);
    }
}

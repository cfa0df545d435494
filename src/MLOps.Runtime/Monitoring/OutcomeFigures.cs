namespace MLOps.Runtime.Monitoring;

/// <summary>
/// What the outcomes of one period (or of everything so far) add up to, enough to compute the task's metrics the way
/// ML.NET's evaluators do: counts (outcomes, correct ones, per class actual and correct, a probability histogram per
/// label for the area under the ROC curve) and sums (log-loss, errors, the label's moments).
/// </summary>
internal sealed class OutcomeFigures : IWindowBucket
{
    /// <summary>Probability bins per label of a binary model: the ROC curve is read from them.</summary>
    private const int RocBins = 1000;
    private const double Epsilon = 1e-15;

    // Count slots: outcomes, correct, then per class (actual, correct) or per label the probability histogram.
    private const int Outcomes = 0;
    private const int Correct = 1;
    private const int FirstClassSlot = 2;

    // Sum slots: log-loss, |error|, error², label, label².
    private const int LogLoss = 0;
    private const int AbsoluteError = 1;
    private const int SquaredError = 2;
    private const int Label = 3;
    private const int LabelSquared = 4;

    private readonly PredictionTask _task;
    private readonly int _classes;
    private readonly StripedCounts _counts;
    private readonly StripedSums _sums = new(5);

    public OutcomeFigures(PredictionTask task, int classes)
    {
        _task = task;
        _classes = classes;
        _counts = new StripedCounts(FirstClassSlot + task switch
        {
            PredictionTask.Multiclass => 2 * classes,
            PredictionTask.Binary => 2 * RocBins,
            _ => 0,
        });
    }

    public void Clear()
    {
        _counts.Clear();
        _sums.Clear();
    }

    /// <summary>A multiclass outcome: the predicted class, the scores (probabilities) and the actual class.</summary>
    public void AddClass(int stripe, int predicted, float actualProbability, int actual)
    {
        _counts.Increment(stripe, Outcomes);
        _counts.Increment(stripe, FirstClassSlot + 2 * actual);
        if (predicted == actual)
        {
            _counts.Increment(stripe, Correct);
            _counts.Increment(stripe, FirstClassSlot + 2 * actual + 1);
        }
        _sums.Add(stripe, LogLoss, -Math.Log(Math.Max(actualProbability, Epsilon)));
    }

    /// <summary>A binary outcome: the predicted label, its probability of true, the actual label.</summary>
    public void AddBinary(int stripe, bool predicted, float probability, bool actual)
    {
        _counts.Increment(stripe, Outcomes);
        if (predicted == actual)
        {
            _counts.Increment(stripe, Correct);
        }
        var p = Math.Clamp(float.IsNaN(probability) ? 0.5 : probability, 0, 1);
        var bin = Math.Min(RocBins - 1, (int)(p * RocBins));
        _counts.Increment(stripe, FirstClassSlot + (actual ? RocBins : 0) + bin);
        _sums.Add(stripe, LogLoss, -Math.Log(Math.Max(actual ? p : 1 - p, Epsilon), 2));
    }

    /// <summary>A regression outcome.</summary>
    public void AddValue(int stripe, float predicted, float actual)
    {
        _counts.Increment(stripe, Outcomes);
        var error = (double)predicted - actual;
        _sums.Add(stripe, AbsoluteError, Math.Abs(error));
        _sums.Add(stripe, SquaredError, error * error);
        _sums.Add(stripe, Label, actual);
        _sums.Add(stripe, LabelSquared, (double)actual * actual);
    }

    /// <summary>The task's metrics over <paramref name="figures"/> (added up), by ML.NET's names; empty before the first outcome.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(PredictionTask task, int classes, IEnumerable<OutcomeFigures> figures)
    {
        var list = figures.ToArray();
        var countSlots = list.Length == 0 ? FirstClassSlot : list[0]._counts.Slots;
        var counts = new long[countSlots];
        Span<double> sums = stackalloc double[5];
        sums.Clear();
        foreach (var f in list)
        {
            f._counts.AddTo(counts);
            f._sums.AddTo(sums);
        }
        var n = counts[Outcomes];
        var result = new Dictionary<string, double>(StringComparer.Ordinal) { ["Outcomes"] = n };
        if (n == 0)
        {
            return result;
        }
        switch (task)
        {
            case PredictionTask.Multiclass:
                result["MicroAccuracy"] = (double)counts[Correct] / n;
                var recalls = Enumerable.Range(0, classes).Where(c => counts[FirstClassSlot + 2 * c] > 0)
                    .Select(c => (double)counts[FirstClassSlot + 2 * c + 1] / counts[FirstClassSlot + 2 * c]).ToArray();
                result["MacroAccuracy"] = recalls.Average();
                result["LogLoss"] = sums[LogLoss] / n;
                break;
            case PredictionTask.Binary:
                result["Accuracy"] = (double)counts[Correct] / n;
                result["LogLoss"] = sums[LogLoss] / n;
                if (AreaUnderRoc(counts.AsSpan(FirstClassSlot, RocBins), counts.AsSpan(FirstClassSlot + RocBins, RocBins)) is { } auc)
                {
                    result["AreaUnderRocCurve"] = auc;
                }
                break;
            default:
                result["MeanAbsoluteError"] = sums[AbsoluteError] / n;
                result["MeanSquaredError"] = sums[SquaredError] / n;
                result["RootMeanSquaredError"] = Math.Sqrt(sums[SquaredError] / n);
                var total = sums[LabelSquared] - sums[Label] * sums[Label] / n;
                if (total > 0)
                {
                    result["RSquared"] = 1 - sums[SquaredError] / total;
                }
                break;
        }
        return result;
    }

    /// <summary>The area under the ROC curve from probability histograms of the false and true outcomes (ties: half).</summary>
    private static double? AreaUnderRoc(ReadOnlySpan<long> negatives, ReadOnlySpan<long> positives)
    {
        long totalNegatives = 0, totalPositives = 0;
        for (var b = 0; b < negatives.Length; b++)
        {
            totalNegatives += negatives[b];
            totalPositives += positives[b];
        }
        if (totalNegatives == 0 || totalPositives == 0)
        {
            return null;
        }
        // P(score of a positive > score of a negative), ties within a bin counted half.
        double pairs = 0;
        long negativesBelow = 0;
        for (var b = 0; b < negatives.Length; b++)
        {
            pairs += positives[b] * (negativesBelow + negatives[b] / 2.0);
            negativesBelow += negatives[b];
        }
        return pairs / ((double)totalNegatives * totalPositives);
    }
}

namespace MLOps.Shared;

/// <summary>
/// Accuracy estimated without labels, confidence-based (CBPE, as NannyML names it): for a calibrated classifier the
/// probability of its predicted class is the chance that the prediction is right, so the mean of that probability
/// over rows estimates the accuracy they will turn out to have. Models are rarely calibrated (boosted trees are
/// overconfident), so the confidence is first calibrated on the test set (<see cref="Calibrated"/>). One rule for the
/// build (the estimate on current data, the test set's calibration in the model card) and the running model (the
/// estimate per window).
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ClassifierConfidence
{
    /// <summary>ML.NET's name of a binary classifier's exported probability output (of the positive class).</summary>
    public const string BinaryOutput = "Probability.output";

    /// <summary>ML.NET's name of a multiclass classifier's exported output: one probability per class.</summary>
    public const string MulticlassOutput = "Score.output";

    /// <summary>The ML.NET metric a binary estimate stands for.</summary>
    public const string BinaryMetric = "Accuracy";

    /// <summary>The ML.NET metric a multiclass estimate stands for.</summary>
    public const string MulticlassMetric = "MicroAccuracy";

    /// <summary>Equal-width confidence bins of the expected calibration error (Guo et al. 2017 use 15; 10 is the common choice for small test sets).</summary>
    public const int CalibrationBins = 10;

    /// <summary>
    /// The calibration error (of the calibrated confidence, cross-fitted on the test set) above which an estimate is
    /// refused, unless the manifest sets another: an estimate is off by up to about this much when the model is as
    /// (mis)calibrated on new data as on its test set.
    /// </summary>
    public const double DefaultMaxCalibrationError = 0.05;

    /// <summary>
    /// The test rows (with a probability) a calibration needs before an estimate is given: below it the bins, and the
    /// calibration error measured on them, say more about chance than about the model.
    /// </summary>
    public const int MinimumCalibrationRows = 100;

    /// <summary>
    /// How many test rows a bin's own accuracy must outweigh before it replaces the confidence (<see cref="Calibrated"/>):
    /// a bin of 10 test rows moves a confidence halfway to their accuracy, one of 1,000 nearly all the way.
    /// </summary>
    public const double CalibrationPriorRows = 10;

    /// <summary>The bin of a confidence: [0, 0.1) is 0, …, [0.9, 1] is 9.</summary>
    public static int BinOf(float confidence) => Math.Min(CalibrationBins - 1, Math.Max(0, (int)(confidence * CalibrationBins)));

    /// <summary>
    /// The chance that a prediction of this confidence is right, as the test set showed it (histogram binning, the
    /// calibration NannyML's CBPE fits before it estimates): the right share of the test rows in its bin, with
    /// <see cref="CalibrationPriorRows"/> rows of the confidence itself added, so that a bin of few rows moves little.
    /// </summary>
    /// <param name="confidence">The predicted class's probability (<see cref="Of"/>).</param>
    /// <param name="binRows">The test rows per bin (<see cref="CalibrationBins"/> of them).</param>
    /// <param name="binCorrect">The test rows per bin whose prediction was right.</param>
    public static double Calibrated(float confidence, ReadOnlySpan<long> binRows, ReadOnlySpan<long> binCorrect)
    {
        var bin = BinOf(confidence);
        return (binCorrect[bin] + CalibrationPriorRows * confidence) / (binRows[bin] + CalibrationPriorRows);
    }

    /// <summary>Counts rows and right predictions per bin of confidence (NaN rows left out), the calibration <see cref="Calibrated"/> applies.</summary>
    public static void CountBins(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, Span<long> binRows, Span<long> binCorrect)
    {
        binRows.Clear();
        binCorrect.Clear();
        for (var i = 0; i < confidence.Length; i++)
        {
            if (!float.IsNaN(confidence[i]))
            {
                var bin = BinOf(confidence[i]);
                binRows[bin]++;
                binCorrect[bin] += correct[i] ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// The calibration error the calibrated confidence keeps, measured honestly: the test rows are split in two by
    /// position (even, odd), each half calibrated by the other half's bins, and the expected calibration error of
    /// the calibrated confidences is taken over all rows. A small or unrepresentative test set shows here.
    /// </summary>
    public static double CrossFittedCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct)
    {
        var halves = new (float[] Confidence, bool[] Correct)[2];
        for (var half = 0; half < 2; half++)
        {
            var count = (confidence.Length + 1 - half) / 2;
            halves[half] = (new float[count], new bool[count]);
            for (var i = 0; i < count; i++)
            {
                halves[half].Confidence[i] = confidence[2 * i + half];
                halves[half].Correct[i] = correct[2 * i + half];
            }
        }
        var calibrated = new float[confidence.Length];
        var right = new bool[confidence.Length];
        Span<long> rows = stackalloc long[CalibrationBins];
        Span<long> hits = stackalloc long[CalibrationBins];
        var at = 0;
        for (var half = 0; half < 2; half++)
        {
            CountBins(halves[1 - half].Confidence, halves[1 - half].Correct, rows, hits);
            for (var i = 0; i < halves[half].Confidence.Length; i++, at++)
            {
                var c = halves[half].Confidence[i];
                calibrated[at] = float.IsNaN(c) ? float.NaN : (float)Calibrated(c, rows, hits);
                right[at] = halves[half].Correct[i];
            }
        }
        return CalibrationError(calibrated, right);
    }

    /// <summary>The predicted class's probability: max(p, 1 − p) of a binary probability, the largest of a multiclass row; NaN scores are passed over (all NaN: NaN).</summary>
    public static float Of(ReadOnlySpan<float> scores, bool binary)
    {
        if (binary)
        {
            return Math.Max(scores[0], 1 - scores[0]);
        }
        var max = float.NaN;
        foreach (var score in scores)
        {
            if (float.IsNaN(max) || score > max)
            {
                max = score;
            }
        }
        return max;
    }

    /// <summary>
    /// The expected calibration error: over <see cref="CalibrationBins"/> equal-width bins of confidence, the
    /// row-weighted mean of |accuracy − mean confidence| per bin. 0 for a perfectly calibrated model; NaN without rows.
    /// </summary>
    /// <param name="confidence">Each row's predicted-class probability (<see cref="Of"/>); NaN rows are left out.</param>
    /// <param name="correct">Whether each row's prediction was right.</param>
    public static double CalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct)
    {
        Span<double> sums = stackalloc double[CalibrationBins];
        Span<long> rights = stackalloc long[CalibrationBins];
        Span<long> rows = stackalloc long[CalibrationBins];
        sums.Clear();
        rights.Clear();
        rows.Clear();
        long total = 0;
        for (var i = 0; i < confidence.Length; i++)
        {
            if (float.IsNaN(confidence[i]))
            {
                continue;
            }
            var bin = BinOf(confidence[i]);
            sums[bin] += confidence[i];
            rights[bin] += correct[i] ? 1 : 0;
            rows[bin]++;
            total++;
        }
        if (total == 0)
        {
            return double.NaN;
        }
        double error = 0;
        for (var bin = 0; bin < CalibrationBins; bin++)
        {
            if (rows[bin] > 0)
            {
                error += Math.Abs(rights[bin] - sums[bin]) / total;
            }
        }
        return error;
    }

    /// <summary>
    /// Half the 95 % interval of an estimate from sampling alone: if each row is right with its confidence c, the
    /// accuracy of n rows varies by √(Σ c(1 − c)) / n. Calibration error is a bias on top of it, reported apart.
    /// </summary>
    /// <param name="sumOfVariances">Σ c(1 − c) over the rows.</param>
    /// <param name="rows">The rows estimated from.</param>
    public static double Margin(double sumOfVariances, long rows) => rows == 0 ? double.NaN : 1.96 * Math.Sqrt(sumOfVariances) / rows;
}

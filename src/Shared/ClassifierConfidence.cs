namespace MLOps.Shared;

/// <summary>
/// Accuracy estimated without labels, confidence-based (CBPE, as NannyML names it): for a calibrated classifier the
/// probability of its predicted class is the chance that the prediction is right, so the mean of that probability
/// over rows estimates the accuracy they will turn out to have. One rule for the build (the estimate on current data,
/// the test set's calibration error in the model card) and the running model (the estimate per window).
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
    /// The test set's calibration error above which an estimate is refused, unless the manifest sets another: an
    /// estimate is off by up to about this much when the model is as (mis)calibrated on new data as on its test set.
    /// </summary>
    public const double DefaultMaxCalibrationError = 0.05;

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
            var bin = Math.Min(CalibrationBins - 1, Math.Max(0, (int)(confidence[i] * CalibrationBins)));
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

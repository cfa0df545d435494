namespace MLOps.Build.Comparisons;

/// <summary>
/// A metric of one model on a resample of the test rows, given as each row's multiplicity in the resample (0, 1, 2, …;
/// all ones is the test set itself). Metrics that are not a mean over rows (AUC, R², macro accuracy, precision) are
/// measured on the resample as a whole, which is what a bootstrap of them needs.
/// </summary>
public abstract class ResampledMetric
{
    /// <summary>The metric on the resample; NaN when it is undefined there (AUC on a resample without one of the classes).</summary>
    public abstract double Value(int[] weights);

    /// <summary>The mean of per-row values (accuracy as 1/0, a row's log-loss, an absolute or squared error).</summary>
    public static ResampledMetric Mean(double[] values) => new MeanOfRows(values, root: false);

    /// <summary>The root of the mean of per-row values (RMSE from squared errors).</summary>
    public static ResampledMetric RootMean(double[] values) => new MeanOfRows(values, root: true);

    private sealed class MeanOfRows(double[] values, bool root) : ResampledMetric
    {
        public override double Value(int[] weights)
        {
            double sum = 0;
            long count = 0;
            for (var i = 0; i < values.Length; i++)
            {
                sum += weights[i] * values[i];
                count += weights[i];
            }
            var mean = sum / count;
            return root ? Math.Sqrt(mean) : mean;
        }
    }
}

/// <summary>Area under the ROC curve, ties counted half (the Mann-Whitney statistic); the rows are sorted by score once.</summary>
public sealed class AreaUnderRocCurve : ResampledMetric
{
    private readonly int[] _order;
    private readonly bool[] _labels;
    private readonly float[] _scores;

    public AreaUnderRocCurve(bool[] labels, float[] scores)
    {
        _labels = labels;
        _scores = scores;
        _order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
    }

    public override double Value(int[] weights)
    {
        double negativesBelow = 0, pairs = 0, positives = 0;
        for (var start = 0; start < _order.Length;)
        {
            var end = start;
            double groupPositives = 0, groupNegatives = 0;
            while (end < _order.Length && _scores[_order[end]] == _scores[_order[start]])
            {
                var row = _order[end++];
                if (_labels[row])
                {
                    groupPositives += weights[row];
                }
                else
                {
                    groupNegatives += weights[row];
                }
            }
            pairs += groupPositives * (negativesBelow + groupNegatives / 2);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            start = end;
        }
        return positives == 0 || negativesBelow == 0 ? double.NaN : pairs / (positives * negativesBelow);
    }
}

/// <summary>The binary confusion-matrix metrics (ML.NET's names), the positive class being <c>true</c>.</summary>
public sealed class BinaryConfusionMetric(bool[] labels, bool[] predicted, string metric) : ResampledMetric
{
    public static readonly IReadOnlyList<string> Names = ["Accuracy", "PositivePrecision", "PositiveRecall", "NegativePrecision", "NegativeRecall", "F1Score"];

    public override double Value(int[] weights)
    {
        double truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = weights[i];
            if (labels[i])
            {
                if (predicted[i]) truePositives += w; else falseNegatives += w;
            }
            else
            {
                if (predicted[i]) falsePositives += w; else trueNegatives += w;
            }
        }
        return metric switch
        {
            "Accuracy" => (truePositives + trueNegatives) / (truePositives + trueNegatives + falsePositives + falseNegatives),
            "PositivePrecision" => Ratio(truePositives, truePositives + falsePositives),
            "PositiveRecall" => Ratio(truePositives, truePositives + falseNegatives),
            "NegativePrecision" => Ratio(trueNegatives, trueNegatives + falseNegatives),
            "NegativeRecall" => Ratio(trueNegatives, trueNegatives + falsePositives),
            _ => Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
        };
    }

    private static double Ratio(double part, double whole) => whole == 0 ? double.NaN : part / whole;
}

/// <summary>The mean over the classes present in the resample of each class's recall (ML.NET's macro accuracy).</summary>
public sealed class MacroAccuracy(int[] labels, int[] predicted, int classes) : ResampledMetric
{
    public override double Value(int[] weights)
    {
        var counts = new double[classes];
        var correct = new double[classes];
        for (var i = 0; i < labels.Length; i++)
        {
            counts[labels[i]] += weights[i];
            if (predicted[i] == labels[i])
            {
                correct[labels[i]] += weights[i];
            }
        }
        double sum = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            if (counts[c] > 0)
            {
                sum += correct[c] / counts[c];
                present++;
            }
        }
        return sum / present;
    }
}

/// <summary>1 − SSE / SST, with the labels' mean taken over the resample.</summary>
public sealed class RSquared(float[] labels, float[] predictions) : ResampledMetric
{
    public override double Value(int[] weights)
    {
        double count = 0, labelSum = 0, squaredErrors = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            count += weights[i];
            labelSum += weights[i] * (double)labels[i];
            var error = (double)labels[i] - predictions[i];
            squaredErrors += weights[i] * error * error;
        }
        var mean = labelSum / count;
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var deviation = labels[i] - mean;
            total += weights[i] * deviation * deviation;
        }
        return 1 - squaredErrors / total;
    }
}

/// <summary>
/// (prior log-loss − log-loss) / prior log-loss, the prior being the log-loss of predicting the resample's own class
/// shares (its entropy), in the logarithm base of the per-row losses.
/// </summary>
public sealed class LogLossReduction(int[] labels, double[] rowLogLoss, int classes, double logBase) : ResampledMetric
{
    public override double Value(int[] weights)
    {
        var counts = new double[classes];
        double count = 0, loss = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            counts[labels[i]] += weights[i];
            count += weights[i];
            loss += weights[i] * rowLogLoss[i];
        }
        double prior = 0;
        foreach (var c in counts)
        {
            if (c > 0)
            {
                prior -= c / count * Math.Log(c / count, logBase);
            }
        }
        return (prior - loss / count) / prior;
    }
}

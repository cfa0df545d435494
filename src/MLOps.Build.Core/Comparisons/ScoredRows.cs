namespace MLOps.Build.Comparisons;

/// <summary>
/// One model's predictions on the test rows, with the rows' labels: what each of the task's metrics is measured from
/// on a resample. Metric names are ML.NET's (<see cref="Manifest.MetricCatalog"/>).
/// </summary>
public abstract class ScoredRows
{
    /// <summary>The smallest probability a log-loss takes the logarithm of (ML.NET's epsilon), so a confident miss costs a finite amount.</summary>
    public const double ProbabilityFloor = 1e-15;

    public abstract int Count { get; }

    /// <summary>The metric on a resample of these rows; null when it has no resampled form here (AUPRC, entropy).</summary>
    public abstract ResampledMetric? Metric(string name);

    protected static double LogLoss(double probabilityOfLabel, double logBase) =>
        -Math.Log(Math.Max(probabilityOfLabel, ProbabilityFloor), logBase);
}

/// <param name="scores">The raw scores (margins) AUC ranks by.</param>
/// <param name="probabilities">Calibrated probabilities of <c>true</c>; null for an uncalibrated trainer (no log-loss then).</param>
public sealed class BinaryScoredRows(bool[] labels, bool[] predicted, float[] scores, float[]? probabilities) : ScoredRows
{
    public override int Count => labels.Length;

    public override ResampledMetric? Metric(string name)
    {
        if (BinaryConfusionMetric.Names.Contains(name))
        {
            return new BinaryConfusionMetric(labels, predicted, name);
        }
        if (name == "AreaUnderRocCurve")
        {
            return new AreaUnderRocCurve(labels, scores);
        }
        if (probabilities is null)
        {
            return null;
        }
        // ML.NET's binary log-loss is in bits.
        var rowLogLoss = labels.Select((label, i) => LogLoss(label ? probabilities[i] : 1 - probabilities[i], 2)).ToArray();
        return name switch
        {
            "LogLoss" => ResampledMetric.Mean(rowLogLoss),
            "LogLossReduction" => new LogLossReduction(labels.Select(l => l ? 1 : 0).ToArray(), rowLogLoss, 2, 2),
            _ => null,
        };
    }
}

/// <param name="labels">Each row's class as an index into the classes both models are compared over.</param>
/// <param name="predicted">Each row's predicted class, the same indices.</param>
/// <param name="labelProbabilities">The probability each row's model gave the row's true class.</param>
public sealed class MulticlassScoredRows(int[] labels, int[] predicted, double[] labelProbabilities, int classes) : ScoredRows
{
    public override int Count => labels.Length;

    public override ResampledMetric? Metric(string name)
    {
        // ML.NET's multiclass log-loss is in nats.
        double[] RowLogLoss() => labelProbabilities.Select(p => LogLoss(p, Math.E)).ToArray();
        return name switch
        {
            "MicroAccuracy" => ResampledMetric.Mean(labels.Select((label, i) => predicted[i] == label ? 1.0 : 0.0).ToArray()),
            "MacroAccuracy" => new MacroAccuracy(labels, predicted, classes),
            "LogLoss" => ResampledMetric.Mean(RowLogLoss()),
            "LogLossReduction" => new LogLossReduction(labels, RowLogLoss(), classes, Math.E),
            _ => null,
        };
    }
}

public sealed class RegressionScoredRows(float[] labels, float[] predictions) : ScoredRows
{
    public override int Count => labels.Length;

    public override ResampledMetric? Metric(string name)
    {
        double[] SquaredErrors() => labels.Select((label, i) => Math.Pow((double)label - predictions[i], 2)).ToArray();
        return name switch
        {
            "MeanAbsoluteError" => ResampledMetric.Mean(labels.Select((label, i) => Math.Abs((double)label - predictions[i])).ToArray()),
            // LossFunction is the trainer's loss per row, squared error unless a trainer was given another.
            "MeanSquaredError" or "LossFunction" => ResampledMetric.Mean(SquaredErrors()),
            "RootMeanSquaredError" => ResampledMetric.RootMean(SquaredErrors()),
            "RSquared" => new RSquared(labels, predictions),
            _ => null,
        };
    }
}

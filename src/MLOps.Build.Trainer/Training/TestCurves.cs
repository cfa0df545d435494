using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Training;

/// <summary>The test set's curves for the report (<see cref="CurvesCard"/>), from the rows ML.NET scored.</summary>
public static class TestCurves
{
    private const int Points = 100;
    private const int CalibrationBins = 10;
    private const int PredictionSample = 500;

    public static CurvesCard? Compute(ModelTask task, IDataView scored, string labelColumn)
    {
        switch (task)
        {
            case ModelTask.Binary:
            {
                var labels = scored.GetColumn<bool>(labelColumn).ToArray();
                var probability = scored.Schema.GetColumnOrNull("Probability") is not null;
                var scores = scored.GetColumn<float>(probability ? "Probability" : "Score").ToArray();
                var (roc, pr) = RocAndPrecisionRecall(labels, scores);
                return new CurvesCard(roc, pr, probability ? Calibration(labels, scores) : null, null);
            }
            case ModelTask.Regression:
            {
                var actual = scored.GetColumn<float>(labelColumn).ToArray();
                var predicted = scored.GetColumn<float>("Score").ToArray();
                var step = Math.Max(1, actual.Length / PredictionSample);
                var pairs = Enumerable.Range(0, actual.Length).Where(r => r % step == 0).Take(PredictionSample)
                    .Select(r => (IReadOnlyList<double>)[Round(actual[r]), Round(predicted[r])]).ToArray();
                return new CurvesCard(null, null, null, pairs);
            }
            default:
                return null;
        }
    }

    /// <summary>Thresholds from the highest score down; at most about <see cref="Points"/> points each, ends included.</summary>
    private static (IReadOnlyList<IReadOnlyList<double>> Roc, IReadOnlyList<IReadOnlyList<double>> PrecisionRecall) RocAndPrecisionRecall(bool[] labels, float[] scores)
    {
        var order = Enumerable.Range(0, labels.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var positives = labels.Count(l => l);
        var negatives = labels.Length - positives;
        var roc = new List<IReadOnlyList<double>> { new double[] { 0, 0 } };
        var pr = new List<IReadOnlyList<double>>();
        var step = Math.Max(1, order.Length / Points);
        long truePositives = 0, falsePositives = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }
            var lastOfTies = k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]];
            if (lastOfTies && (k % step == 0 || k == order.Length - 1))
            {
                roc.Add([Round(Rate(falsePositives, negatives)), Round(Rate(truePositives, positives))]);
                pr.Add([Round(Rate(truePositives, positives)), Round(Rate(truePositives, truePositives + falsePositives))]);
            }
        }
        return (roc, pr);
    }

    /// <summary>Equal-width probability bins: mean predicted probability, observed share of positives, rows.</summary>
    private static IReadOnlyList<IReadOnlyList<double>> Calibration(bool[] labels, float[] probabilities)
    {
        var bins = new List<IReadOnlyList<double>>();
        for (var b = 0; b < CalibrationBins; b++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(r => Math.Min(CalibrationBins - 1, (int)(probabilities[r] * CalibrationBins)) == b).ToArray();
            if (rows.Length > 0)
            {
                bins.Add([Round(rows.Average(r => probabilities[r])), Round((double)rows.Count(r => labels[r]) / rows.Length), rows.Length]);
            }
        }
        return bins;
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static double Round(double value) => Math.Round(value, 6);
}

using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Estimation;

/// <summary>
/// A classifier's confidence per row as the deployed model gives it (ONNX Runtime, the outputs the runtime reads), by
/// the rule of <c>ClassifierConfidence</c>: the test set's calibration for the model card, and the estimate
/// without labels on current data for the drift check.
/// </summary>
public static class ConfidenceScoring
{
    private const string PredictedLabelOutput = "PredictedLabel.output";

    /// <summary>Each row's predicted-class probability and predicted label; null for a model that is not a classifier or has no probabilities.</summary>
    public static (float[] Confidence, string?[] Predicted)? Score(ModelTask task, OnnxScoring scoring, TrainingTable table)
    {
        var binary = task == ModelTask.Binary;
        var output = task switch
        {
            ModelTask.Binary => ClassifierConfidence.BinaryOutput,
            ModelTask.Multiclass => ClassifierConfidence.MulticlassOutput,
            _ => null,
        };
        if (output is null || !scoring.Outputs.ContainsKey(output) || table.RowCount == 0)
        {
            return null;
        }
        var outputs = scoring.Run(table, [output, PredictedLabelOutput]);
        var scores = (float[])outputs[output];
        var width = scores.Length / table.RowCount;
        var confidence = new float[table.RowCount];
        for (var row = 0; row < confidence.Length; row++)
        {
            confidence[row] = ClassifierConfidence.Of(scores.AsSpan(row * width, width), binary);
        }
        var predicted = outputs.TryGetValue(PredictedLabelOutput, out var labels) ? labels switch
        {
            bool[] flags => flags.Select(f => (string?)(f ? "true" : "false")).ToArray(),
            string[] names => names.Select(n => (string?)n).ToArray(),
            _ => new string?[table.RowCount],
        } : new string?[table.RowCount];
        return (confidence, predicted);
    }

    /// <summary>The test set's calibration: how far its confidence was from its accuracy; null for a model without probabilities.</summary>
    public static CalibrationCard? Calibration(ModelTask task, OnnxScoring scoring, TrainingTable test)
    {
        if (Score(task, scoring, test) is not var (confidence, predicted))
        {
            return null;
        }
        var correct = new bool[test.RowCount];
        for (var row = 0; row < correct.Length; row++)
        {
            correct[row] = task == ModelTask.Binary
                ? predicted[row] == (test.Label.Flags![row] ? "true" : "false")
                : predicted[row] is { } name && name == test.Label.Classes![row];
        }
        var scored = confidence.Where(c => !float.IsNaN(c)).ToArray();
        var binRows = new long[ClassifierConfidence.CalibrationBins];
        var binCorrect = new long[ClassifierConfidence.CalibrationBins];
        ClassifierConfidence.CountBins(confidence, correct, binRows, binCorrect);
        var error = Round(ClassifierConfidence.CalibrationError(confidence, correct));
        var calibratedError = Round(ClassifierConfidence.CrossFittedCalibrationError(confidence, correct));
        return new CalibrationCard(MetricCatalog.Estimated(task)!, error,
            Round(scored.Length == 0 ? double.NaN : scored.Average(c => (double)c)), Round(correct.Count(c => c) / (double)correct.Length),
            scored.Length, ClassifierConfidence.CalibrationBins, calibratedError, binRows, binCorrect)
        {
            Applied = calibratedError < error,
        };
    }

    /// <summary>
    /// The mean confidence of the rows, calibrated by the test set's bins where the card applies them
    /// (<c>ClassifierConfidence.Calibrated</c>), half
    /// its 95 % interval (<c>ClassifierConfidence.Margin</c>), and the mean confidence before calibration.
    /// </summary>
    public static (double Value, double Margin, long Rows, double MeanConfidence) Estimate(float[] confidence, CalibrationCard calibration)
    {
        var binRows = calibration.Applied ? calibration.BinRows.ToArray() : null;
        var binCorrect = calibration.Applied ? calibration.BinCorrect.ToArray() : null;
        double sum = 0, variance = 0, raw = 0;
        long rows = 0;
        foreach (var c in confidence)
        {
            if (!float.IsNaN(c))
            {
                var p = binRows is null ? c : ClassifierConfidence.Calibrated(c, binRows, binCorrect);
                sum += p;
                variance += p * (1.0 - p);
                raw += c;
                rows++;
            }
        }
        return rows == 0 ? (double.NaN, double.NaN, 0, double.NaN) : (sum / rows, ClassifierConfidence.Margin(variance, rows), rows, raw / rows);
    }

    private static double Round(double value) => Math.Round(value, 6);
}

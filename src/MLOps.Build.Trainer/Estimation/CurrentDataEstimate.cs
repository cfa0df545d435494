using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Estimation;

/// <summary>
/// The drift check's estimate of a classifier's accuracy on the current data, which has no labels (CBPE): the
/// deployed model (model.onnx) scores the current rows, preprocessed as in training, and their mean confidence,
/// calibrated on the test set, is the estimate. Refused, with the reason, when the test set showed that even calibrated
/// confidence is too far from accuracy to trust it (<see cref="DriftSpec.MaxCalibrationError"/>). The manifest's gates on the estimate are judged here, for the
/// drift analyzer to report on every compile (MLOPS4007).
/// </summary>
public sealed class CurrentDataEstimate(DiagnosticBag diagnostics)
{
    /// <summary>Each current row's confidence and predicted label, once <see cref="Estimate"/> scored them; null when it did not.</summary>
    public (float[] Confidence, string?[] Predicted)? Scored { get; private set; }

    /// <param name="training">The training rows: each feature's preprocessing is decided on them, as in training.</param>
    /// <param name="current">The current data's features in <paramref name="training"/>'s order; null where the file lacks one.</param>
    public EstimateCard? Estimate(ModelManifest manifest, ModelCard card, string artifactsDirectory, TrainingTable training, IReadOnlyList<FeatureColumn?> current, int currentRows)
    {
        if (MetricCatalog.Estimated(manifest.Task) is not { } metric)
        {
            return null;
        }
        var calibration = card.Calibration;
        var maximum = manifest.Drift!.MaxCalibrationError;
        var testValue = card.Metrics.TryGetValue(metric, out var test) ? test : (double?)null;
        string? refused = null;
        (double Value, double Margin, long Rows, double MeanConfidence) estimate = (double.NaN, double.NaN, 0, double.NaN);
        var absent = current.Select((c, i) => c is null ? training.Features[i].Name : null).FirstOrDefault(n => n is not null);
        if (calibration is not null && absent is null)
        {
            // Scored even when the estimate is refused: the production windows judge the predictions against outcomes.
            var features = current.Select((c, i) => new FeatureColumn(c!.Name, c.Kind, c.Numbers, c.Categories)
            {
                Settings = c.Settings,
                Preprocessing = FeaturePreprocessing.Decide(training.Features[i]),
            }).ToArray();
            var table = new TrainingTable("current", features, new LabelColumn("", null, null, null), currentRows);
            using var scoring = OnnxExporter.Load(File.ReadAllBytes(Path.Combine(artifactsDirectory, ArtifactNames.Onnx)));
            Scored = ConfidenceScoring.Score(manifest.Task, scoring, table);
            if (Scored is var (confidence, _))
            {
                estimate = ConfidenceScoring.Estimate(confidence, calibration);
            }
        }
        if (calibration is null)
        {
            refused = "the model gives no probabilities (a non-calibrated trainer), and the estimate is their mean";
        }
        else if (calibration.Rows < ClassifierConfidence.MinimumCalibrationRows)
        {
            refused = $"its test set has {calibration.Rows} rows with a probability, and calibrating the confidence needs at least {ClassifierConfidence.MinimumCalibrationRows}";
        }
        else if (calibration.EstimateError > maximum)
        {
            refused = $"its confidence is off by {Format(calibration.Error)} on the test set's {calibration.Rows} rows, and by {Format(calibration.CalibratedError)} calibrated on them (cross-fitted), above drift.maxCalibrationError {Format(maximum)}";
        }
        else if (absent is not null)
        {
            refused = $"the current data has no column '{absent}', which the model needs to score a row";
        }
        else if (estimate.Rows == 0)
        {
            refused = "no current row has a probability";
        }

        var gates = manifest.Gates.Where(g => g.Metric == MetricCatalog.EstimatedPrefix + metric).Select(g => new EstimateGateCard(g.Metric, g.Min, g.Max,
            refused is null && !(g.Min is { } min && estimate.Value < min) && !(g.Max is { } max && estimate.Value > max),
            new ReportLocation(g.Location.Path, g.Location.Line, g.Location.Column))).ToArray();
        var result = new EstimateCard(metric, refused is null ? Math.Round(estimate.Value, 6) : null, refused is null ? Math.Round(estimate.Margin, 6) : null,
            refused is null ? estimate.Rows : 0, testValue, refused is null ? Math.Round(estimate.MeanConfidence, 6) : null, calibration?.EstimateError, maximum, refused, gates);
        Report(manifest, result);
        return result;
    }

    private void Report(ModelManifest manifest, EstimateCard estimate)
    {
        var where = FileLocation.File(manifest.Path);
        if (estimate.Refused is { } reason)
        {
            diagnostics.Add(D.EstimateRefused, manifest.Drift!.Location, $"{manifest.Name}: {estimate.Metric} is not estimated on the current data: {reason}.");
            return;
        }
        diagnostics.Add(D.PerformanceEstimated, where,
            $"{manifest.Name}: estimated {estimate.Metric} {Format(estimate.Value!.Value)} ± {Format(estimate.Margin!.Value)} on {estimate.Rows.ToString("N0", CultureInfo.InvariantCulture)} current rows" +
            $" (test {(estimate.TestValue is { } test ? Format(test) : "n/a")}; calibration error {Format(estimate.CalibrationError!.Value)}, without labels).");
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Globalization;
using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;
using Xunit.Abstractions;

namespace MLOps.Runtime.Tests;

/// <summary>Accuracy estimated without labels: the math against a brute-force recomputation, and the estimate against the truth.</summary>
[Collection(MeterListeners.Name)]
public sealed class ConfidenceEstimateTests(ITestOutputHelper output)
{
    private static readonly string[][] Days2015 = File.ReadLines(Path.Combine(MLNetPredictions.RepositoryRoot, "samples", "WeatherForecast", "Models", "data", "seattle-weather-2015.csv"))
        .Skip(1).Select(l => l.Split(',')).ToArray();

    private static WeatherModel.Input Day(string[] cells)
    {
        float Number(int column) => float.Parse(cells[column], CultureInfo.InvariantCulture);
        return new WeatherModel.Input { Precipitation = Number(1), TempMax = Number(2), TempMin = Number(3), Wind = Number(4) };
    }

    private static readonly long[] WeatherBinRows = [0, 0, 1, 1, 4, 15, 15, 20, 22, 287];
    private static readonly long[] WeatherBinCorrect = [0, 0, 0, 0, 1, 7, 6, 9, 13, 258];

    /// <summary>Brute force: the share of the card's test rows in the score's tenth that were right, with 10 rows of the score itself.</summary>
    private static double Calibrated(float score)
    {
        var bin = Math.Min(9, (int)(score * 10));
        return (WeatherBinCorrect[bin] + 10 * (double)score) / (WeatherBinRows[bin] + 10);
    }

    [Fact]
    public void A_multiclass_estimate_is_the_mean_calibrated_top_score_since_the_start_and_over_the_window_alone()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        using var model = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true, TimeProvider = clock, DriftWindows = [DriftWindow.Parse("1h")] });
        // The fixture card's calibration bins (of its 2015 test rows) calibrate each row's top score.
        var early = Days2015.Take(200).Select(d => Calibrated(model.Predict(Day(d)).Scores.Max())).ToArray();
        clock.Now = clock.Now.AddHours(2);
        var recent = Days2015.Skip(200).Select(d => Calibrated(model.Predict(Day(d)).Scores.Max())).ToArray();

        var allTime = model.DriftMonitor!.Estimate()!;
        Assert.Equal("MicroAccuracy", allTime.Metric);
        Assert.Equal(Days2015.Length, allTime.Rows);
        Assert.Equal(early.Concat(recent).Average(s => (double)s), allTime.Value, 9);
        var window = model.DriftMonitor.Estimate("1h")!;
        Assert.Equal(recent.Length, window.Rows);
        Assert.Equal(recent.Average(s => (double)s), window.Value, 9);
    }

    [Fact]
    public void A_binary_estimate_is_the_mean_probability_of_the_predicted_label_and_batches_count_every_row()
    {
        using var model = ChurnModel.Load(new ModelSessionOptions { MonitorDrift = true });
        var inputs = Enumerable.Range(0, 300).Select(i => new ChurnModel.Input
        {
            CustomerAge = 18 + i % 60, MonthlySpend = 10 + i % 90, Plan = (i % 3) switch { 0 => "basic", 1 => "plus", _ => "enterprise" }, AutoRenew = i % 2 == 0,
        }).ToArray();
        var outputs = new ChurnModel.Output[inputs.Length];
        model.PredictBatch(inputs, outputs);

        var estimate = model.DriftMonitor!.Estimate()!;
        Assert.Equal("Accuracy", estimate.Metric);
        Assert.Equal(300, estimate.Rows);
        Assert.Equal(outputs.Average(o => Math.Max((double)o.Probability, 1 - (double)o.Probability)), estimate.Value, 6);
    }

    [Fact]
    public void No_estimate_for_a_model_that_is_not_a_classifier_and_NaN_before_the_first_row()
    {
        using var weather = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true });
        Assert.True(double.IsNaN(weather.DriftMonitor!.Estimate()!.Value));
        Assert.Throws<ArgumentException>(() => weather.DriftMonitor.Estimate("3h"));

        using var tenure = TenureModel.Load(new ModelSessionOptions { MonitorDrift = true });
        Assert.Null(tenure.DriftMonitor!.Estimate());
    }

    /// <summary>
    /// The raw confidence's error is bounded by the model's calibration error on the same rows (|mean(confidence −
    /// correct)| is at most the expected calibration error, ECE, over any binning): the sample weather model is
    /// overconfident on 2015, by its ECE there. Calibrated on those rows' bins (the card's), the estimate comes close.
    /// </summary>
    [Fact]
    public void On_its_test_year_the_raw_confidence_misses_by_the_calibration_error_and_the_calibrated_estimate_comes_close()
    {
        using var model = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true });
        var predictions = Days2015.Select(d => (Output: model.Predict(Day(d)), Actual: d[5])).ToArray();
        var realized = predictions.Average(p => p.Output.PredictedLabel == p.Actual ? 1.0 : 0.0);
        var calibrationError = predictions
            .GroupBy(p => Math.Min(9, (int)(p.Output.Scores.Max() * 10)))
            .Sum(bin => (double)bin.Count() / predictions.Length
                * Math.Abs(bin.Average(p => (double)p.Output.Scores.Max()) - bin.Average(p => p.Output.PredictedLabel == p.Actual ? 1.0 : 0.0)));

        var estimated = predictions.Average(p => (double)p.Output.Scores.Max());
        var calibrated = model.DriftMonitor!.Estimate()!.Value;

        // The shared rule the build's model card uses computes the same ECE.
        var confidence = predictions.Select(p => MLOps.Shared.ClassifierConfidence.Of(p.Output.Scores, binary: false)).ToArray();
        var correct = predictions.Select(p => p.Output.PredictedLabel == p.Actual).ToArray();
        Assert.Equal(calibrationError, MLOps.Shared.ClassifierConfidence.CalibrationError(confidence, correct), 9);
        var margin = 1.96 * Math.Sqrt(confidence.Sum(c => (double)c * (1 - c))) / confidence.Length;
        Assert.Equal(margin, MLOps.Shared.ClassifierConfidence.Margin(confidence.Sum(c => (double)c * (1 - c)), confidence.Length), 12);

        output.WriteLine(FormattableString.Invariant(
            $"2015: mean confidence {estimated:0.####}, calibrated estimate {calibrated:0.####}, realized MicroAccuracy {realized:0.####}, ECE {calibrationError:0.####}"));
        Assert.True(Math.Abs(estimated - realized) <= calibrationError + 1e-9, $"error {Math.Abs(estimated - realized)} above ECE {calibrationError}");
        Assert.True(estimated > realized, "the sample model is overconfident on 2015");
        Assert.Equal(0.117968, calibrationError, 6); // the fixture card's calibration.error, from these rows
        // Within the card's calibratedError (the calibration's own error, cross-fitted), a fifth of the raw error.
        Assert.InRange(Math.Abs(calibrated - realized), 0, 0.036456);
        Assert.True(Math.Abs(calibrated - realized) < Math.Abs(estimated - realized) / 5);
    }
}

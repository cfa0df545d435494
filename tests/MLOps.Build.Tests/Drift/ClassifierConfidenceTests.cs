using MLOps.Shared;

namespace MLOps.Build.Tests.Drift;

/// <summary>The estimate's rules (src/Shared/ClassifierConfidence.cs) against hand computations and simulated models.</summary>
public sealed class ClassifierConfidenceTests
{
    [Fact]
    public void Confidence_is_the_predicted_class_probability()
    {
        Assert.Equal(0.7f, ClassifierConfidence.Of([0.3f], binary: true));
        Assert.Equal(0.9f, ClassifierConfidence.Of([0.9f], binary: true));
        Assert.Equal(0.6f, ClassifierConfidence.Of([0.1f, 0.6f, 0.3f], binary: false));
        Assert.Equal(0.6f, ClassifierConfidence.Of([float.NaN, 0.6f, 0.3f], binary: false));
        Assert.True(float.IsNaN(ClassifierConfidence.Of([float.NaN, float.NaN], binary: false)));
    }

    [Fact]
    public void A_bin_of_test_rows_moves_a_confidence_toward_its_accuracy_by_its_rows_against_ten()
    {
        long[] rows = [0, 0, 0, 0, 0, 0, 0, 0, 10, 990];
        long[] right = [0, 0, 0, 0, 0, 0, 0, 0, 5, 792];

        // Bin 8 (0.8–0.9): 10 rows, half right: (5 + 10 × 0.85) / 20.
        Assert.Equal((5 + 10 * 0.85) / 20, ClassifierConfidence.Calibrated(0.85f, rows, right), 6);
        // Bin 9: 990 rows, 80 % right: nearly 0.8.
        Assert.Equal((792 + 10 * 0.95) / 1000, ClassifierConfidence.Calibrated(0.95f, rows, right), 6);
        // An empty bin keeps the confidence; 1.0 falls in the last bin.
        Assert.Equal(0.35, ClassifierConfidence.Calibrated(0.35f, rows, right), 6);
        Assert.Equal(9, ClassifierConfidence.BinOf(1f));
        Assert.Equal(0, ClassifierConfidence.BinOf(-0.1f));
    }

    [Fact]
    public void An_overconfident_model_has_a_large_calibration_error_that_calibration_removes()
    {
        // A simulated model: rows of confidence 0.55–0.99 are right with probability confidence − 0.15.
        var random = new Random(3);
        var confidence = new float[20_000];
        var correct = new bool[confidence.Length];
        for (var i = 0; i < confidence.Length; i++)
        {
            confidence[i] = (float)(0.55 + 0.44 * random.NextDouble());
            correct[i] = random.NextDouble() < confidence[i] - 0.15;
        }

        Assert.InRange(ClassifierConfidence.CalibrationError(confidence, correct), 0.14, 0.16);
        Assert.InRange(ClassifierConfidence.CrossFittedCalibrationError(confidence, correct), 0, 0.02);

        var rows = new long[10];
        var right = new long[10];
        ClassifierConfidence.CountBins(confidence, correct, rows, right);
        Assert.Equal(confidence.Length, rows.Sum());
        Assert.Equal(correct.Count(c => c), right.Sum());
        var estimate = confidence.Average(c => ClassifierConfidence.Calibrated(c, rows, right));
        Assert.Equal(correct.Average(c => c ? 1.0 : 0), estimate, 2);
    }

    [Fact]
    public void A_calibrated_model_has_a_small_calibration_error_and_the_margin_is_the_binomial_interval()
    {
        var random = new Random(5);
        var confidence = Enumerable.Range(0, 20_000).Select(_ => (float)(0.5 + 0.5 * random.NextDouble())).ToArray();
        var correct = confidence.Select(c => random.NextDouble() < c).ToArray();

        Assert.InRange(ClassifierConfidence.CalibrationError(confidence, correct), 0, 0.02);
        Assert.Equal(1.96 * Math.Sqrt(100 * 0.9 * 0.1) / 100, ClassifierConfidence.Margin(100 * 0.9 * 0.1, 100), 12);
        Assert.True(double.IsNaN(ClassifierConfidence.CalibrationError([], [])));
    }
}

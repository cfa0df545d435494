using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>The generated classes score exactly as ML.NET did, one row at a time and in batches.</summary>
public sealed class TypedPredictionTests
{
    private const float Tolerance = 1e-4f;

    private static MLNetPredictions TrainMatching(string manifest, string model)
    {
        var predictions = MLNetPredictions.Train(manifest);
        Assert.True(predictions.Onnx.AsSpan().SequenceEqual(MLNetPredictions.Fixture(model)),
            $"Retraining {manifest} no longer reproduces tests/Fixtures/Models/{model}/model.onnx; refresh the fixture (see tests/Fixtures/README.md).");
        return predictions;
    }

    [Fact]
    public void Multiclass_predictions_equal_MLNET_on_the_whole_test_set()
    {
        var expected = TrainMatching("tests/Fixtures/Models/WeatherModel.mlmodel.json", "WeatherModel");
        using var model = WeatherModel.Load();
        var inputs = Enumerable.Range(0, expected.Test.RowCount).Select(r => new WeatherModel.Input
        {
            Precipitation = expected.Number("precipitation", r),
            TempMax = expected.Number("temp_max", r),
            TempMin = expected.Number("temp_min", r),
            Wind = expected.Number("wind", r),
        }).ToArray();
        var batch = new WeatherModel.Output[inputs.Length];
        model.PredictBatch(inputs, batch);

        Assert.Equal(365, inputs.Length);
        Assert.Equal(["drizzle", "fog", "rain", "snow", "sun"], WeatherModel.Classes);
        for (var r = 0; r < inputs.Length; r++)
        {
            var single = model.Predict(inputs[r]);
            Assert.Equal(expected.Labels[r], single.PredictedLabel);
            Assert.Equal(expected.Labels[r], batch[r].PredictedLabel);
            for (var c = 0; c < 5; c++)
            {
                Assert.InRange(single.Scores[c], expected.Scores[r][c] - Tolerance, expected.Scores[r][c] + Tolerance);
                // ONNX Runtime sums a fused multi-target ensemble's trees in another order for batches: equal to float rounding.
                Assert.Equal(single.Scores[c], batch[r].Scores[c], 1e-6f);
            }
        }
    }

    [Fact]
    public void Binary_predictions_with_categories_bools_and_missing_values_equal_MLNET()
    {
        var expected = TrainMatching("tests/Fixtures/Models/ChurnModel.mlmodel.json", "ChurnModel");
        using var model = ChurnModel.Load();
        Assert.Contains(Enumerable.Range(0, expected.Test.RowCount), r => float.IsNaN(expected.Number("Monthly Spend ($)", r)));

        for (var r = 0; r < expected.Test.RowCount; r++)
        {
            var output = model.Predict(new ChurnModel.Input
            {
                CustomerAge = expected.Number("Customer Age", r),
                MonthlySpend = expected.Number("Monthly Spend ($)", r),
                Plan = expected.Category("plan", r),
                AutoRenew = expected.Number("auto renew", r) == 1f,
            });
            Assert.Equal(expected.Labels[r], output.PredictedLabel ? "true" : "false");
            Assert.InRange(output.Score, expected.Scores[r][0] - Tolerance, expected.Scores[r][0] + Tolerance);
            Assert.InRange(output.Probability, 0f, 1f);
        }
    }

    [Fact]
    public void Regression_predictions_equal_MLNET()
    {
        var expected = TrainMatching("tests/Fixtures/Models/TenureModel.mlmodel.json", "TenureModel");
        using var model = TenureModel.Load();

        for (var r = 0; r < expected.Test.RowCount; r++)
        {
            var output = model.Predict(new TenureModel.Input
            {
                CustomerAge = expected.Number("Customer Age", r),
                MonthlySpend = expected.Number("Monthly Spend ($)", r),
                Plan = expected.Category("plan", r),
                AutoRenew = expected.Number("auto renew", r) == 1f,
            });
            Assert.InRange(output.Score, expected.Scores[r][0] - 1e-3f, expected.Scores[r][0] + 1e-3f);
        }
    }

    [Fact]
    public void Text_date_and_replaced_missing_values_are_preprocessed_by_the_generated_class_as_in_training()
    {
        var expected = TrainMatching("tests/Fixtures/Models/TicketsModel.mlmodel.json", "TicketsModel");
        using var model = TicketsModel.Load();
        var inputs = Enumerable.Range(0, expected.Test.RowCount).Select(r => new TicketsModel.Input
        {
            // Raw cells, as an app has them: mixed case, missing text and channel, NaN load.
            TicketText = expected.Category("Ticket Text", r),
            Opened = expected.Category("Opened", r) is { } opened ? DateTime.Parse(opened, System.Globalization.CultureInfo.InvariantCulture) : null,
            Load = expected.Number("Load (%)", r),
            Channel = expected.Category("channel", r),
        }).ToArray();
        Assert.Contains(inputs, i => i.TicketText is null);
        Assert.Contains(inputs, i => i.Channel is null);
        Assert.Contains(inputs, i => float.IsNaN(i.Load));
        Assert.Contains(inputs, i => i.TicketText is { } t && t != t.ToLowerInvariant());
        var batch = new TicketsModel.Output[inputs.Length];
        model.PredictBatch(inputs, batch);

        for (var r = 0; r < inputs.Length; r++)
        {
            var single = model.Predict(inputs[r]);
            Assert.Equal(expected.Labels[r], single.PredictedLabel);
            Assert.Equal(expected.Labels[r], batch[r].PredictedLabel);
            for (var c = 0; c < expected.Scores[r].Length; c++)
            {
                Assert.InRange(single.Scores[c], expected.Scores[r][c] - Tolerance, expected.Scores[r][c] + Tolerance);
                Assert.Equal(single.Scores[c], batch[r].Scores[c]);
            }
        }
    }

    [Fact]
    public void An_unseen_category_and_a_missing_number_still_score()
    {
        using var model = ChurnModel.Load();
        // The input analyzer flags the literal at compile time (MLOPS6002); at run time it must still score.
#pragma warning disable MLOPS6002
        var output = model.Predict(new ChurnModel.Input { CustomerAge = 40, MonthlySpend = float.NaN, Plan = "enterprise", AutoRenew = true });
#pragma warning restore MLOPS6002
        Assert.InRange(output.Probability, 0f, 1f);
    }
}

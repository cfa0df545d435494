using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

public sealed class SessionBehaviourTests
{
    private static WeatherModel.Input Row(int i) => new()
    {
        Precipitation = i % 17 * 0.7f,
        TempMax = 2 + i % 30,
        TempMin = -3 + i % 20,
        Wind = 0.5f + i % 9,
    };

    [Fact]
    public void Many_threads_share_one_model_and_get_the_single_threaded_answers()
    {
        using var model = WeatherModel.Load();
        var expected = Enumerable.Range(0, 400).Select(i => model.Predict(Row(i))).ToArray();

        var failures = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var round = 0; round < 5; round++)
            {
                for (var i = 0; i < expected.Length; i++)
                {
                    var output = (i + worker) % 3 == 0
                        ? Batch(model, i)
                        : model.Predict(Row(i));
                    // Batches may round differently from single rows (ONNX Runtime's tree summation order), never more.
                    if (output.PredictedLabel != expected[i].PredictedLabel || output.Scores.Zip(expected[i].Scores).Any(p => Math.Abs(p.First - p.Second) > 1e-6f))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        Assert.Equal(0, failures);
    }

    private static WeatherModel.Output Batch(WeatherModel model, int i)
    {
        var outputs = new WeatherModel.Output[3];
        model.PredictBatch(new[] { Row(i + 1), Row(i), Row(i + 2) }, outputs);
        return outputs[1];
    }

    /// <summary>The WeatherModel fixture's inputs and outputs, as its generated class declares them.</summary>
    private static ModelSchema WeatherSchema(bool compiled) => new(
        [new ModelInput("precipitation", TensorKind.Float, 1), new ModelInput("temp_max", TensorKind.Float, 1), new ModelInput("temp_min", TensorKind.Float, 1), new ModelInput("wind", TensorKind.Float, 1)],
        [new ModelOutput("PredictedLabel.output", TensorKind.String, 1), new ModelOutput("Score.output", TensorKind.Float, 5)]) { Compiled = compiled };

    private static ModelResults RunOne(ModelBatch batch, float precipitation)
    {
        batch.Floats(0)[0] = precipitation;
        batch.Floats(1)[0] = 12;
        batch.Floats(2)[0] = 4;
        batch.Floats(3)[0] = 3;
        return batch.Run();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Results_are_read_until_disposed_or_until_their_batch_runs_again_on_either_engine(bool compiled)
    {
        using var session = ModelSession.Create(MLNetPredictions.Fixture("WeatherModel"), WeatherSchema(compiled), new ModelSessionOptions { UseOnnxRuntime = !compiled });
        Assert.Equal(compiled ? ScoringEngine.Compiled : ScoringEngine.OnnxRuntime, session.Engine);
        var batch = session.RentSingle();

        var dry = RunOne(batch, 0);
        var dryScores = dry.Floats(1, 0).ToArray();
        dry.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dry.Floats(1, 0).ToArray());
        dry.Dispose();

        var first = RunOne(batch, 0);
        Assert.Equal(dryScores, first.Floats(1, 0).ToArray());
        var wet = RunOne(batch, 30);
        Assert.NotEqual(dryScores, wet.Floats(1, 0).ToArray());
        if (!compiled)
        {
            // A fresh object each call: the earlier one knows it has expired (and its native tensors are released).
            Assert.Throws<ObjectDisposedException>(() => first.String(0, 0));
        }
        wet.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wet.RowShape(1));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        using var model = WeatherModel.Load();
        Assert.Throws<ArgumentNullException>(() => model.Predict(null!));
        Assert.Throws<ArgumentException>(() => model.PredictBatch(new[] { Row(1), Row(2) }, new WeatherModel.Output[1]));
        Assert.Throws<ArgumentException>(() => model.PredictBatch(new WeatherModel.Input[] { Row(1), null! }, new WeatherModel.Output[2]));
        model.PredictBatch(ReadOnlySpan<WeatherModel.Input>.Empty, Span<WeatherModel.Output>.Empty);
    }

    [Fact]
    public void A_disposed_model_refuses_to_predict()
    {
        var model = WeatherModel.Load();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(Row(1)));
    }

    [Fact]
    public void A_model_whose_inputs_do_not_match_the_class_is_refused_at_load()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WeatherModel.Load(MLNetPredictions.Fixture("TenureModel")));
        Assert.Contains("has no input 'precipitation'", error.Message);
    }

    [Fact]
    public void Embedded_models_are_listed_and_a_missing_one_is_explained()
    {
        Assert.Equal(["ChurnModel", "TenureModel", "TicketsModel", "WeatherModel"], EmbeddedModels.List(typeof(SessionBehaviourTests).Assembly).Order());
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddedModels.Read(typeof(SessionBehaviourTests).Assembly, "Nope"));
        Assert.Contains("MLOps.Models.Nope.onnx", error.Message);
    }
}

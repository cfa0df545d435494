using Google.Protobuf;
using MLOps.Onnx;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// A generated class whose card says "compiled" scores with MLOps.Runtime's kernels: the same answers as ONNX
/// Runtime, without locks or allocations beyond the output; ONNX Runtime on request, or when bytes given to Load do
/// not compile.
/// </summary>
public sealed class CompiledScoringTests
{
    private static readonly WeatherModel.Input[] Rows = Enumerable.Range(0, 400).Select(r => new WeatherModel.Input
    {
        Precipitation = r % 7 == 0 ? float.NaN : r % 5 * 3.1f,
        TempMax = (r % 40) - 5f,
        TempMin = (r % 30) - 10f,
        Wind = r % 11 * 0.9f,
    }).ToArray();

    [Fact]
    public void Compiled_and_ONNX_Runtime_sessions_of_one_class_agree_row_by_row_and_in_batches()
    {
        using var compiled = WeatherModel.Load();
        using var onnxRuntime = WeatherModel.Load(new ModelSessionOptions { UseOnnxRuntime = true });
        var (batchCompiled, batchOnnx) = (new WeatherModel.Output[Rows.Length], new WeatherModel.Output[Rows.Length]);
        compiled.PredictBatch(Rows, batchCompiled);
        onnxRuntime.PredictBatch(Rows, batchOnnx);

        Assert.Equal(ScoringEngine.Compiled, compiled.Engine);
        Assert.Equal(ScoringEngine.OnnxRuntime, onnxRuntime.Engine);
        for (var r = 0; r < Rows.Length; r++)
        {
            var (a, b) = (compiled.Predict(Rows[r]), onnxRuntime.Predict(Rows[r]));
            Assert.Equal(b.PredictedLabel, a.PredictedLabel);
            Assert.Equal(batchOnnx[r].PredictedLabel, batchCompiled[r].PredictedLabel);
            for (var c = 0; c < a.Scores.Length; c++)
            {
                Assert.Equal(b.Scores[c], a.Scores[c], 1e-5f);
                Assert.Equal(a.Scores[c], batchCompiled[r].Scores[c]);
            }
        }
    }

    [Fact]
    public void One_compiled_instance_scores_from_many_threads_as_from_one()
    {
        using var model = WeatherModel.Load();
        var expected = Rows.Select(r => model.Predict(r)).ToArray();
        var actual = new WeatherModel.Output[Rows.Length * 20];

        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = model.Predict(Rows[i % Rows.Length]));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % Rows.Length].PredictedLabel, actual[i].PredictedLabel);
            Assert.Equal(expected[i % Rows.Length].Scores, actual[i].Scores);
        }
    }

    [Fact]
    public void A_compiled_Predict_allocates_only_its_output()
    {
        using var model = ChurnModel.Load();
        var input = new ChurnModel.Input { CustomerAge = 40, MonthlySpend = float.NaN, Plan = "plus", AutoRenew = true };
        var sink = new ChurnModel.Output[1000];
        for (var i = 0; i < 100; i++)
        {
            sink[0] = model.Predict(input);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < sink.Length; i++)
        {
            sink[i] = model.Predict(input);
        }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)sink.Length;

        Assert.Equal(ScoringEngine.Compiled, model.Engine);
        // The Output object (a header, a bool and two floats): 32 bytes on x64.
        Assert.True(perCall <= 32, $"{perCall} bytes per Predict");
    }

    [Fact]
    public void Bytes_that_do_not_compile_are_scored_by_ONNX_Runtime_and_the_session_says_why()
    {
        // The fixture's regression graph with its output passed through Dropout (an identity at inference, outside
        // the compiled subset).
        var model = ModelProto.Parser.ParseFrom(MLNetPredictions.Fixture("TenureModel"));
        var scorer = model.Graph.Node.Single(n => n.Output.Contains("Score.output"));
        scorer.Output[scorer.Output.IndexOf("Score.output")] = "score before dropout";
        var dropout = new NodeProto { OpType = "Dropout", Name = "the dropout" };
        dropout.Input.Add("score before dropout");
        dropout.Output.Add("Score.output");
        model.Graph.Node.Add(dropout);
        var bytes = model.ToByteArray();
        var schema = new ModelSchema(
            [new ModelInput("Customer Age", TensorKind.Float, 1), new ModelInput("Monthly Spend ($)", TensorKind.Float, 1), new ModelInput("plan", TensorKind.String, 1), new ModelInput("auto renew", TensorKind.Float, 1)],
            [new ModelOutput("Score.output", TensorKind.Float, 1)]) { Compiled = true };

        using var session = ModelSession.Create(bytes, schema);
        using var typed = TenureModel.Load(bytes);
        using var original = TenureModel.Load();
        var input = new TenureModel.Input { CustomerAge = 33, MonthlySpend = 80, Plan = "pro, annual", AutoRenew = false };

        Assert.Equal(ScoringEngine.OnnxRuntime, session.Engine);
        Assert.Equal("Dropout node 'the dropout': operator 'Dropout' is outside the compiled subset", session.OnnxRuntimeReason);
        Assert.Equal(ScoringEngine.OnnxRuntime, typed.Engine);
        Assert.Equal(ScoringEngine.Compiled, original.Engine);
        Assert.Equal(original.Predict(input).Score, typed.Predict(input).Score, 1e-4f);
    }
}

using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Benchmarks.Models;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// The sample model (multiclass LightGbm, 4 inputs, 5 classes): the generated class against ML.NET's
/// PredictionEngine and against raw ONNX Runtime, per row. Batch benchmarks score 1,000 rows per call and
/// report per row (OperationsPerInvoke); the 100-row compiled batch is the size an app scoring a request's rows
/// would pass (one block of rows).
/// </summary>
[MemoryDiagnoser]
public class WeatherScoringBenchmarks
{
    private const int BatchRows = 1000;
    private const int SmallBatchRows = 100;
    private static readonly string[] Inputs = ["precipitation", "temp_max", "temp_min", "wind"];
    private static readonly string[] Outputs = ["PredictedLabel.output", "Score.output"];

    private ScoringFixture _fixture = null!;
    private PredictionEngine<WeatherRow, WeatherPrediction> _engine = null!;
    private WeatherModel _typed = null!;
    private WeatherModel _typedOnnxRuntime = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private WeatherRow[] _rows = null!;
    private WeatherModel.Input[] _typedRows = null!;
    private WeatherModel.Output[] _typedOutputs = null!;
    private float[][] _single = null!;
    private OrtValue[] _singleValues = null!;
    private float[][] _batch = null!;
    private OrtValue[] _batchValues = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ScoringFixture.Load("tests/Fixtures/Models/WeatherModel.mlmodel.json", "WeatherModel");
        _engine = _fixture.ML.Model.CreatePredictionEngine<WeatherRow, WeatherPrediction>(_fixture.Model);
        _typed = WeatherModel.Load(_fixture.Onnx);
        _typedOnnxRuntime = WeatherModel.Load(_fixture.Onnx, new MLOps.Runtime.ModelSessionOptions { UseOnnxRuntime = true });
        if (_typed.Engine != MLOps.Runtime.ScoringEngine.Compiled)
        {
            throw new InvalidOperationException("The fixture's card should make the generated class compiled.");
        }
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(_fixture.Onnx, options);
        _runOptions = new RunOptions();
        _rows = Enumerable.Range(0, BatchRows).Select(r => new WeatherRow
        {
            Precipitation = _fixture.Number("precipitation", r),
            TempMax = _fixture.Number("temp_max", r),
            TempMin = _fixture.Number("temp_min", r),
            Wind = _fixture.Number("wind", r),
        }).ToArray();
        _typedRows = _rows.Select(r => new WeatherModel.Input { Precipitation = r.Precipitation, TempMax = r.TempMax, TempMin = r.TempMin, Wind = r.Wind }).ToArray();
        _typedOutputs = new WeatherModel.Output[BatchRows];
        _single = Inputs.Select(_ => new float[1]).ToArray();
        _singleValues = _single.Select(b => OrtValue.CreateTensorValueFromMemory(b, [1, 1])).ToArray();
        _batch = Inputs.Select(_ => new float[BatchRows]).ToArray();
        for (var r = 0; r < BatchRows; r++)
        {
            (_batch[0][r], _batch[1][r], _batch[2][r], _batch[3][r]) = (_rows[r].Precipitation, _rows[r].TempMax, _rows[r].TempMin, _rows[r].Wind);
        }
        _batchValues = _batch.Select(b => OrtValue.CreateTensorValueFromMemory(b, [BatchRows, 1])).ToArray();
    }

    private WeatherRow NextRow() => _rows[_next++ % 365];

    [Benchmark(Baseline = true, Description = "ML.NET PredictionEngine, per row")]
    public string PredictionEngine() => _engine.Predict(NextRow()).PredictedLabel;

    [Benchmark(Description = "typed Predict (compiled), per row")]
    public string TypedPredict() => _typed.Predict(_typedRows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "typed Predict (ONNX Runtime), per row")]
    public string TypedPredictOnnxRuntime() => _typedOnnxRuntime.Predict(_typedRows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "raw ORT NamedOnnxValue, per row")]
    public string RawNamedOnnxValue()
    {
        var row = NextRow();
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("precipitation", new DenseTensor<float>(new[] { row.Precipitation }, [1, 1])),
            NamedOnnxValue.CreateFromTensor("temp_max", new DenseTensor<float>(new[] { row.TempMax }, [1, 1])),
            NamedOnnxValue.CreateFromTensor("temp_min", new DenseTensor<float>(new[] { row.TempMin }, [1, 1])),
            NamedOnnxValue.CreateFromTensor("wind", new DenseTensor<float>(new[] { row.Wind }, [1, 1])),
        };
        using var results = _session.Run(inputs, Outputs);
        return results.First().AsTensor<string>()[0, 0];
    }

    [Benchmark(Description = "raw ORT OrtValue, reused buffers, per row")]
    public string RawOrtValue()
    {
        var row = NextRow();
        (_single[0][0], _single[1][0], _single[2][0], _single[3][0]) = (row.Precipitation, row.TempMax, row.TempMin, row.Wind);
        using var results = _session.Run(_runOptions, Inputs, _singleValues, Outputs);
        return results[0].GetStringElement(0);
    }

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch (compiled), per row")]
    public void TypedPredictBatch() => _typed.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = SmallBatchRows, Description = "typed PredictBatch (compiled) of 100 rows, per row")]
    public void TypedPredictSmallBatch() => _typed.PredictBatch(_typedRows.AsSpan(0, SmallBatchRows), _typedOutputs.AsSpan(0, SmallBatchRows));

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch (ONNX Runtime), per row")]
    public void TypedPredictBatchOnnxRuntime() => _typedOnnxRuntime.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "raw ORT OrtValue batch, per row")]
    public int RawOrtValueBatch()
    {
        using var results = _session.Run(_runOptions, Inputs, _batchValues, Outputs);
        var labels = 0;
        for (var r = 0; r < BatchRows; r++)
        {
            labels += results[0].GetStringElement(r).Length;
        }
        return labels + results[1].GetTensorDataAsSpan<float>().Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _typed.Dispose();
        _typedOnnxRuntime.Dispose();
        foreach (var value in _singleValues.Concat(_batchValues))
        {
            value.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
        _engine.Dispose();
    }

    public sealed class WeatherRow
    {
        [ColumnName("precipitation")] public float Precipitation { get; set; }
        [ColumnName("temp_max")] public float TempMax { get; set; }
        [ColumnName("temp_min")] public float TempMin { get; set; }
        [ColumnName("wind")] public float Wind { get; set; }
    }

    public sealed class WeatherPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}

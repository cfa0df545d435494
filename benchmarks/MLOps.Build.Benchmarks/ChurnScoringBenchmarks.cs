using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Benchmarks.Models;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// A binary FastTree model with a category (string tensor), a bool and missing values: the generated class
/// against ML.NET's PredictionEngine and raw ONNX Runtime with reused buffers, per row and in batches of 1,000.
/// </summary>
[MemoryDiagnoser]
public class ChurnScoringBenchmarks
{
    private const int BatchRows = 1000;
    private static readonly string[] Inputs = ["Customer Age", "Monthly Spend ($)", "plan", "auto renew"];
    private static readonly string[] Outputs = ["PredictedLabel.output", "Score.output", "Probability.output"];

    private PredictionEngine<ChurnRow, ChurnPrediction> _engine = null!;
    private ChurnModel _typed = null!;
    private ChurnModel _typedOnnxRuntime = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private ChurnRow[] _rows = null!;
    private ChurnModel.Input[] _typedRows = null!;
    private ChurnModel.Output[] _typedOutputs = null!;
    private float[][] _single = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = ScoringFixture.Load("tests/Fixtures/Models/ChurnModel.mlmodel.json", "ChurnModel");
        _engine = fixture.ML.Model.CreatePredictionEngine<ChurnRow, ChurnPrediction>(fixture.Model);
        _typed = ChurnModel.Load(fixture.Onnx);
        _typedOnnxRuntime = ChurnModel.Load(fixture.Onnx, new MLOps.Runtime.ModelSessionOptions { UseOnnxRuntime = true });
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(fixture.Onnx, options);
        _runOptions = new RunOptions();
        _rows = Enumerable.Range(0, BatchRows).Select(r => new ChurnRow
        {
            Age = fixture.Number("Customer Age", r),
            Spend = fixture.Number("Monthly Spend ($)", r),
            Plan = fixture.Category("plan", r) ?? "",
            AutoRenew = fixture.Number("auto renew", r),
        }).ToArray();
        _typedRows = _rows.Select(r => new ChurnModel.Input { CustomerAge = r.Age, MonthlySpend = r.Spend, Plan = r.Plan, AutoRenew = r.AutoRenew == 1f }).ToArray();
        _typedOutputs = new ChurnModel.Output[BatchRows];
        _single = [new float[1], new float[1], [], new float[1]];
    }

    [Benchmark(Baseline = true, Description = "ML.NET PredictionEngine, per row")]
    public bool PredictionEngine() => _engine.Predict(_rows[_next++ % 80]).PredictedLabel;

    [Benchmark(Description = "typed Predict (compiled), per row")]
    public bool TypedPredict() => _typed.Predict(_typedRows[_next++ % 80]).PredictedLabel;

    [Benchmark(Description = "typed Predict (ONNX Runtime), per row")]
    public bool TypedPredictOnnxRuntime() => _typedOnnxRuntime.Predict(_typedRows[_next++ % 80]).PredictedLabel;

    [Benchmark(Description = "raw ORT OrtValue, reused buffers, per row")]
    public bool RawOrtValue()
    {
        var row = _rows[_next++ % 80];
        (_single[0][0], _single[1][0], _single[3][0]) = (row.Age, row.Spend, row.AutoRenew);
        using var age = OrtValue.CreateTensorValueFromMemory(_single[0], [1, 1]);
        using var spend = OrtValue.CreateTensorValueFromMemory(_single[1], [1, 1]);
        using var plan = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, [1, 1]);
        plan.StringTensorSetElementAt(row.Plan.AsSpan(), 0);
        using var renew = OrtValue.CreateTensorValueFromMemory(_single[3], [1, 1]);
        using var results = _session.Run(_runOptions, Inputs, [age, spend, plan, renew], Outputs);
        return results[0].GetTensorDataAsSpan<bool>()[0];
    }

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch (compiled), per row")]
    public void TypedPredictBatch() => _typed.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "raw ORT OrtValue batch, per row")]
    public int RawOrtValueBatch()
    {
        var ages = _rows.Select(r => r.Age).ToArray();
        var spends = _rows.Select(r => r.Spend).ToArray();
        var renews = _rows.Select(r => r.AutoRenew).ToArray();
        using var age = OrtValue.CreateTensorValueFromMemory(ages, [BatchRows, 1]);
        using var spend = OrtValue.CreateTensorValueFromMemory(spends, [BatchRows, 1]);
        using var plan = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, [BatchRows, 1]);
        for (var r = 0; r < BatchRows; r++)
        {
            plan.StringTensorSetElementAt(_rows[r].Plan.AsSpan(), r);
        }
        using var renew = OrtValue.CreateTensorValueFromMemory(renews, [BatchRows, 1]);
        using var results = _session.Run(_runOptions, Inputs, [age, spend, plan, renew], Outputs);
        return results[0].GetTensorDataAsSpan<bool>().Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _typed.Dispose();
        _typedOnnxRuntime.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _engine.Dispose();
    }

    public sealed class ChurnRow
    {
        [ColumnName("Customer Age")] public float Age { get; set; }
        [ColumnName("Monthly Spend ($)")] public float Spend { get; set; }
        [ColumnName("plan")] public string Plan { get; set; } = "";
        [ColumnName("auto renew")] public float AutoRenew { get; set; }
    }

    public sealed class ChurnPrediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
    }
}

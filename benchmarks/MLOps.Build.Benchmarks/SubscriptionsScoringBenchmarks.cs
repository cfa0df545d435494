using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Benchmarks.Models;
using MLOps.Runtime;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// A multiclass LightGbm model (100 iterations × 3 classes, 20 leaves) over two categories with missing values and
/// four numbers with missing values: the generated class, compiled and through ONNX Runtime, against ML.NET's
/// PredictionEngine and raw ONNX Runtime, per row and in batches of 1,000.
/// </summary>
[MemoryDiagnoser]
public class SubscriptionsScoringBenchmarks
{
    private const int BatchRows = 1000;
    private static readonly string[] Numbers = ["Age (years)", "Sessions / week", "Monthly Spend ($)", "Support tickets"];
    private static readonly string[] Inputs = ["region", "device", .. Numbers];
    private static readonly string[] Outputs = ["PredictedLabel.output", "Score.output"];

    private PredictionEngine<SubscriptionRow, SubscriptionPrediction> _engine = null!;
    private SubscriptionsModel _typed = null!;
    private SubscriptionsModel _typedOnnxRuntime = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private SubscriptionRow[] _rows = null!;
    private SubscriptionsModel.Input[] _typedRows = null!;
    private SubscriptionsModel.Output[] _typedOutputs = null!;
    private int _testRows;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = ScoringFixture.Load("tests/Fixtures/Models/SubscriptionsModel.mlmodel.json", "SubscriptionsModel");
        _testRows = fixture.Test.RowCount;
        _engine = fixture.ML.Model.CreatePredictionEngine<SubscriptionRow, SubscriptionPrediction>(fixture.Model);
        _typed = SubscriptionsModel.Load(fixture.Onnx);
        _typedOnnxRuntime = SubscriptionsModel.Load(fixture.Onnx, new ModelSessionOptions { UseOnnxRuntime = true });
        if (_typed.Engine != ScoringEngine.Compiled)
        {
            throw new InvalidOperationException("The fixture's card should make the generated class compiled.");
        }
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(fixture.Onnx, options);
        _runOptions = new RunOptions();
        _rows = Enumerable.Range(0, BatchRows).Select(r => new SubscriptionRow
        {
            Region = fixture.Category("region", r) ?? "",
            Device = fixture.Category("device", r) ?? "",
            Age = fixture.Number("Age (years)", r),
            Sessions = fixture.Number("Sessions / week", r),
            Spend = fixture.Number("Monthly Spend ($)", r),
            Tickets = fixture.Number("Support tickets", r),
        }).ToArray();
        _typedRows = _rows.Select(r => new SubscriptionsModel.Input
        {
            Region = r.Region,
            Device = r.Device,
            AgeYears = r.Age,
            SessionsWeek = r.Sessions,
            MonthlySpend = r.Spend,
            SupportTickets = r.Tickets,
        }).ToArray();
        _typedOutputs = new SubscriptionsModel.Output[BatchRows];
    }

    [Benchmark(Baseline = true, Description = "ML.NET PredictionEngine, per row")]
    public string PredictionEngine() => _engine.Predict(_rows[_next++ % _testRows]).PredictedLabel;

    [Benchmark(Description = "typed Predict (compiled), per row")]
    public string TypedPredict() => _typed.Predict(_typedRows[_next++ % _testRows]).PredictedLabel;

    [Benchmark(Description = "typed Predict (ONNX Runtime), per row")]
    public string TypedPredictOnnxRuntime() => _typedOnnxRuntime.Predict(_typedRows[_next++ % _testRows]).PredictedLabel;

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch (compiled), per row")]
    public void TypedPredictBatch() => _typed.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch (ONNX Runtime), per row")]
    public void TypedPredictBatchOnnxRuntime() => _typedOnnxRuntime.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "raw ORT OrtValue batch, per row")]
    public int RawOrtValueBatch()
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var category in new[] { _rows.Select(r => r.Region), _rows.Select(r => r.Device) })
            {
                var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, [BatchRows, 1]);
                values.Add(tensor);
                var r = 0;
                foreach (var value in category)
                {
                    tensor.StringTensorSetElementAt(value.AsSpan(), r++);
                }
            }
            values.Add(OrtValue.CreateTensorValueFromMemory(_rows.Select(r => r.Age).ToArray(), [BatchRows, 1]));
            values.Add(OrtValue.CreateTensorValueFromMemory(_rows.Select(r => r.Sessions).ToArray(), [BatchRows, 1]));
            values.Add(OrtValue.CreateTensorValueFromMemory(_rows.Select(r => r.Spend).ToArray(), [BatchRows, 1]));
            values.Add(OrtValue.CreateTensorValueFromMemory(_rows.Select(r => r.Tickets).ToArray(), [BatchRows, 1]));
            using var results = _session.Run(_runOptions, Inputs, values, Outputs);
            var labels = 0;
            for (var r = 0; r < BatchRows; r++)
            {
                labels += results[0].GetStringElement(r).Length;
            }
            return labels;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
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

    public sealed class SubscriptionRow
    {
        [ColumnName("region")] public string Region { get; set; } = "";
        [ColumnName("device")] public string Device { get; set; } = "";
        [ColumnName("Age (years)")] public float Age { get; set; }
        [ColumnName("Sessions / week")] public float Sessions { get; set; }
        [ColumnName("Monthly Spend ($)")] public float Spend { get; set; }
        [ColumnName("Support tickets")] public float Tickets { get; set; }
    }

    public sealed class SubscriptionPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}

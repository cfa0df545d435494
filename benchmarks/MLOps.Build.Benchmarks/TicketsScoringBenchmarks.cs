using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Benchmarks.Models;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// A text model (multiclass LightGbm over free text, a date, a number and a category): the generated class, compiled
/// (ML.NET's text featurization as C# kernels) and forced onto ONNX Runtime, against ML.NET's PredictionEngine, per row;
/// and the 75 test rows as one batch (OperationsPerInvoke), compiled (in blocks) and through ONNX Runtime (one call a
/// row: ML.NET's exported text graph flattens tokens across a batch).
/// </summary>
[MemoryDiagnoser]
public class TicketsScoringBenchmarks
{
    private const int Rows = 75;

    private PredictionEngine<TicketRow, TicketPrediction> _engine = null!;
    private TicketsModel _typed = null!;
    private TicketsModel _typedOnnxRuntime = null!;
    private TicketRow[] _rows = null!;
    private TicketsModel.Input[] _typedRows = null!;
    private TicketsModel.Output[] _typedOutputs = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = ScoringFixture.Load("tests/Fixtures/Models/TicketsModel.mlmodel.json", "TicketsModel");
        _engine = fixture.ML.Model.CreatePredictionEngine<TicketRow, TicketPrediction>(fixture.Model);
        _typed = TicketsModel.Load(fixture.Onnx);
        _typedOnnxRuntime = TicketsModel.Load(fixture.Onnx, new MLOps.Runtime.ModelSessionOptions { UseOnnxRuntime = true });
        var text = fixture.Test.Features.Single(f => f.Name == "Ticket Text");
        var channel = fixture.Test.Features.Single(f => f.Name == "channel");
        var opened = fixture.Test.Features.Single(f => f.Name == "Opened");
        var parts = opened.DatePartsByCode();
        // ML.NET gets what the trainer feeds it (replaced and lower-cased); the generated class does that itself.
        _rows = Enumerable.Range(0, Rows).Select(r => new TicketRow
        {
            Text = text.Preprocessing.Text(text.Categories![r % fixture.Test.RowCount]) ?? "",
            Opened = opened.Categories!.Codes[r % fixture.Test.RowCount] is var code and >= 0 ? parts[code] : [.. Enumerable.Repeat(float.NaN, 5)],
            Load = fixture.Number("Load (%)", r),
            Channel = channel.Preprocessing.Text(channel.Categories![r % fixture.Test.RowCount]) ?? "",
        }).ToArray();
        _typedRows = Enumerable.Range(0, Rows).Select(r => new TicketsModel.Input
        {
            TicketText = text.Categories![r % fixture.Test.RowCount],
            Opened = fixture.Category("Opened", r) is { } date ? DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture) : null,
            Load = fixture.Number("Load (%)", r),
            Channel = fixture.Category("channel", r),
        }).ToArray();
        _typedOutputs = new TicketsModel.Output[Rows];
    }

    [Benchmark(Baseline = true, Description = "ML.NET PredictionEngine, per row")]
    public string PredictionEngine() => _engine.Predict(_rows[_next++ % Rows]).PredictedLabel;

    [Benchmark(Description = "typed Predict (compiled), per row")]
    public string TypedPredict() => _typed.Predict(_typedRows[_next++ % Rows]).PredictedLabel;

    [Benchmark(Description = "typed Predict (ONNX Runtime), per row")]
    public string TypedPredictOnnxRuntime() => _typedOnnxRuntime.Predict(_typedRows[_next++ % Rows]).PredictedLabel;

    [Benchmark(OperationsPerInvoke = Rows, Description = "typed PredictBatch (compiled), per row")]
    public void TypedPredictBatch() => _typed.PredictBatch(_typedRows, _typedOutputs);

    [Benchmark(OperationsPerInvoke = Rows, Description = "typed PredictBatch (ONNX Runtime: one call a row for text), per row")]
    public void TypedPredictBatchOnnxRuntime() => _typedOnnxRuntime.PredictBatch(_typedRows, _typedOutputs);

    [GlobalCleanup]
    public void Cleanup()
    {
        _typed.Dispose();
        _typedOnnxRuntime.Dispose();
        _engine.Dispose();
    }

    public sealed class TicketRow
    {
        [ColumnName("Ticket Text")] public string Text { get; set; } = "";
        [ColumnName("Opened"), VectorType(5)] public float[] Opened { get; set; } = [];
        [ColumnName("Load (%)")] public float Load { get; set; }
        [ColumnName("channel")] public string Channel { get; set; } = "";
    }

    public sealed class TicketPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}

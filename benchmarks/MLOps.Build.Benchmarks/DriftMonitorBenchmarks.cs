using BenchmarkDotNet.Attributes;
using MLOps.Build.Benchmarks.Models;
using MLOps.Runtime;

namespace MLOps.Build.Benchmarks;

/// <summary>What the runtime drift monitor costs: typed scoring of the sample model with and without it, same run.</summary>
[MemoryDiagnoser]
public class DriftMonitorBenchmarks
{
    private const int BatchRows = 1000;
    private ScoringFixture _fixture = null!;
    private WeatherModel _plain = null!;
    private WeatherModel _monitored = null!;
    private WeatherModel.Input[] _rows = null!;
    private WeatherModel.Output[] _outputs = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ScoringFixture.Load("tests/Fixtures/Models/WeatherModel.mlmodel.json", "WeatherModel");
        _plain = WeatherModel.Load(_fixture.Onnx);
        _monitored = WeatherModel.Load(_fixture.Onnx, new ModelSessionOptions { MonitorDrift = true });
        _rows = Enumerable.Range(0, BatchRows).Select(r => new WeatherModel.Input
        {
            Precipitation = _fixture.Number("precipitation", r),
            TempMax = _fixture.Number("temp_max", r),
            TempMin = _fixture.Number("temp_min", r),
            Wind = _fixture.Number("wind", r),
        }).ToArray();
        _outputs = new WeatherModel.Output[BatchRows];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _monitored.Dispose();
    }

    [Benchmark(Baseline = true, Description = "typed Predict, per row")]
    public string Predict() => _plain.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "typed Predict with the drift monitor, per row")]
    public string PredictMonitored() => _monitored.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch(1000), per row")]
    public void PredictBatch() => _plain.PredictBatch(_rows, _outputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch(1000) with the drift monitor, per row")]
    public void PredictBatchMonitored() => _monitored.PredictBatch(_rows, _outputs);
}

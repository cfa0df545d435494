using BenchmarkDotNet.Attributes;
using MLOps.Build.Benchmarks.Models;
using MLOps.Runtime;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// What the runtime monitors cost: typed scoring of the sample model without them, with the drift monitor counting
/// since the start only, with the default 15-minute window as well, scored with a key for outcome tracking, and with
/// traffic capture at 1 %; same run.
/// </summary>
[MemoryDiagnoser]
public class DriftMonitorBenchmarks
{
    private const int BatchRows = 1000;
    private ScoringFixture _fixture = null!;
    private WeatherModel _plain = null!;
    private WeatherModel _monitored = null!;
    private WeatherModel _allTimeOnly = null!;
    private WeatherModel _keyed = null!;
    private WeatherModel _captured = null!;
    private string _captureDirectory = null!;
    private string[] _keys = null!;
    private WeatherModel.Input[] _rows = null!;
    private WeatherModel.Output[] _outputs = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ScoringFixture.Load("tests/Fixtures/Models/WeatherModel.mlmodel.json", "WeatherModel");
        _plain = WeatherModel.Load(_fixture.Onnx);
        _monitored = WeatherModel.Load(_fixture.Onnx, new ModelSessionOptions { MonitorDrift = true });
        _allTimeOnly = WeatherModel.Load(_fixture.Onnx, new ModelSessionOptions { MonitorDrift = true, DriftWindows = [] });
        _keyed = WeatherModel.Load(_fixture.Onnx, new ModelSessionOptions { MonitorDrift = true, TrackOutcomes = true, MaxPendingOutcomes = 10_000 });
        _captureDirectory = Path.Combine(Path.GetTempPath(), "mlops-bench-capture-" + Guid.NewGuid().ToString("N"));
        _captured = WeatherModel.Load(_fixture.Onnx, new ModelSessionOptions { CaptureDirectory = _captureDirectory, CaptureSampleRate = 0.01, CaptureFormat = MLOps.Runtime.Hosting.ParquetCaptureFormat.Instance });
        _keys = Enumerable.Range(0, 4096).Select(i => "request-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
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
        _allTimeOnly.Dispose();
        _keyed.Dispose();
        _captured.Dispose();
        if (Directory.Exists(_captureDirectory))
        {
            Directory.Delete(_captureDirectory, recursive: true);
        }
    }

    [Benchmark(Baseline = true, Description = "typed Predict, per row")]
    public string Predict() => _plain.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "typed Predict with the drift monitor (since the start only), per row")]
    public string PredictMonitoredAllTime() => _allTimeOnly.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "typed Predict with the drift monitor (since the start and a 15-minute window), per row")]
    public string PredictMonitored() => _monitored.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(Description = "typed Predict with a key (drift monitor and outcome tracking; the outcome recorded), per row")]
    public bool PredictKeyed()
    {
        var key = _keys[_next++ & 4095];
        var label = _keyed.Predict(_rows[_next % 365], key).PredictedLabel;
        return _keyed.RecordOutcome(key, label);
    }

    [Benchmark(Description = "typed Predict with traffic capture at 1 %, per row")]
    public string PredictCaptured() => _captured.Predict(_rows[_next++ % 365]).PredictedLabel;

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch(1000), per row")]
    public void PredictBatch() => _plain.PredictBatch(_rows, _outputs);

    [Benchmark(OperationsPerInvoke = BatchRows, Description = "typed PredictBatch(1000) with the drift monitor, per row")]
    public void PredictBatchMonitored() => _monitored.PredictBatch(_rows, _outputs);
}

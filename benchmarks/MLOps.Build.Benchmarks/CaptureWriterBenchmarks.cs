using BenchmarkDotNet.Attributes;
using MLOps.Runtime;
using MLOps.Runtime.Hosting;
using MLOps.Runtime.Monitoring;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// What the capture writer sustains: one file of 10,000 captured rows of the sample weather model (time, key, four
/// inputs, the label and five scores) written as Parquet to memory, per row. Rows per second is the inverse.
/// </summary>
[MemoryDiagnoser]
public class CaptureWriterBenchmarks
{
    private const int Rows = 10_000;
    private CaptureColumn[] _columns = null!;
    private CapturedRow[] _rows = null!;

    [GlobalSetup]
    public void Setup()
    {
        _columns =
        [
            new("precipitation", TensorKind.Float), new("temp_max", TensorKind.Float), new("temp_min", TensorKind.Float), new("wind", TensorKind.Float),
            new("mlops_PredictedLabel", TensorKind.String),
            .. Enumerable.Range(0, 5).Select(i => new CaptureColumn("mlops_Score_" + i, TensorKind.Float)),
        ];
        var labels = new[] { "drizzle", "fog", "rain", "snow", "sun" };
        var start = new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
        _rows = Enumerable.Range(0, Rows).Select(r => new CapturedRow(start.AddMilliseconds(r), r % 2 == 0 ? "order-" + r : null,
        [
            r % 10 == 0 ? null : (object)(r % 7 * 0.5f), 5f + r % 25, (float)(r % 9), 1f + r % 4, labels[r % 5],
            .. Enumerable.Range(0, 5).Select(i => (object)(i == r % 5 ? 0.8f : 0.05f)),
        ])).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "ParquetCaptureFormat, a file of 10,000 rows, per row")]
    public async Task<long> WriteParquet()
    {
        using var stream = new MemoryStream();
        await ParquetCaptureFormat.Instance.WriteAsync(stream, _columns, _rows);
        return stream.Length;
    }
}

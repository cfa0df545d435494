using BenchmarkDotNet.Attributes;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// A query source's cost over the whole training run: flights-3m.parquet (npm vega-datasets@3.2.1; 3,000,000 rows)
/// read through a DuckDB query (the trainer's snapshot command: query, order by every column, write the Parquet
/// snapshot; then training on it) against the trainer reading the Parquet file directly (baseline), the same LightGbm
/// regression as FlightsTrainingBenchmarks. Every iteration takes the snapshot afresh (an empty store). Each process
/// runs under GNU time; a run of two processes counts the larger peak. Needs the packed MLOps.Build
/// (`dotnet pack MLOps.Build.sln -c Release -o artifacts/packages`) and DuckDB.NET.Bindings.Full in the NuGet cache.
/// Goal: time ≤ 1.3×, peak memory ≤ 1.5× the baseline.
/// </summary>
[Config(typeof(ProcessBenchmarkConfig))]
public class QuerySourceBenchmarks
{
    private const string ModelJson = """
        {
          "name": "FlightDelay",
          "task": "regression",
          "label": "delay",
          "data": { "train": TRAIN, "testFraction": 0.1 },
          "columns": { "origin": "category", "destination": "category" },
          "exclude": ["date"],
          "trainer": "LightGbm",
          "seed": 42
        }
        """;

    private string _work = "";
    private string _trainer = "";
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _work = Path.Combine(Path.GetTempPath(), "mlops-query-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_work, ".git"));
        File.Copy(FlightsDriftBenchmarks.FlightsFile(), Path.Combine(_work, "flights-3m.parquet"));
        File.WriteAllText(Path.Combine(_work, "File.mlmodel.json"), ModelJson.Replace("TRAIN", "\"flights-3m.parquet\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_work, "Query.mlmodel.json"), ModelJson.Replace("TRAIN", "{ \"sql\": \"SELECT * FROM 'flights-3m.parquet'\" }", StringComparison.Ordinal));
        _trainer = PackedTrainer.Extract(_work);
    }

    [Benchmark(Baseline = true, Description = "the trainer on flights-3m.parquet (read, fit, evaluate, export, …)")]
    public string ParquetFile() => Train(nameof(ParquetFile), "File.mlmodel.json", null).Output;

    [Benchmark(Description = "a DuckDB query over it: snapshot (query, order, write), then the trainer on the snapshot")]
    public string DuckDbQuery()
    {
        var environment = new Dictionary<string, string> { ["MLOPS_SNAPSHOT_DIR"] = Path.Combine(_work, "store-" + ++_iteration) };
        var (snapshot, snapshotPeak, _) = ChildProcess.Measure(_work, environment, "dotnet", _trainer, "snapshot",
            "--manifest", Path.Combine(_work, "Query.mlmodel.json"), "--repository-root", _work, "--update-lock", "true");
        var (output, trainPeak) = Train(null, "Query.mlmodel.json", environment);
        ChildProcess.Record(nameof(DuckDbQuery), Math.Max(snapshotPeak, trainPeak));
        Console.WriteLine($"// snapshot peak {snapshotPeak / (1024 * 1024)} MB, training peak {trainPeak / (1024 * 1024)} MB");
        return snapshot + output;
    }

    private (string Output, long Peak) Train(string? benchmark, string manifest, Dictionary<string, string>? environment)
    {
        var (output, peak, _) = ChildProcess.Measure(_work, environment, "dotnet", _trainer, "train",
            "--manifest", Path.Combine(_work, manifest), "--output", Path.Combine(_work, "out-" + manifest), "--fingerprint", "benchmark",
            "--repository-root", _work);
        if (benchmark is not null)
        {
            ChildProcess.Record(benchmark, peak);
        }
        return (output, peak);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);
}

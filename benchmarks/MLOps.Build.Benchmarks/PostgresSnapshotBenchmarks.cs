using BenchmarkDotNet.Attributes;
using MLOps.Build.Testing;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Taking a 1,000,000-row PostgreSQL snapshot (the trainer's snapshot command: query ordered by every column, rows
/// through Npgsql, Parquet written and hashed) against PostgreSQL's own fastest export, <c>COPY (SELECT …) TO STDOUT</c>
/// through psql into a file (baseline). Both are processes of their own against one server the setup starts (Debian's
/// postgresql, a cluster in a temp folder on a loopback port). Rows per second = 1,000,000 / mean.
/// Needs the packed MLOps.Build (`dotnet pack MLOps.Build.sln -c Release -o artifacts/packages`).
/// </summary>
[Config(typeof(ProcessBenchmarkConfig.FiveIterations))]
public class PostgresSnapshotBenchmarks
{
    public const int Rows = 1_000_000;

    private PostgresServer? _server;
    private string _work = "";
    private string _trainer = "";
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _server = new PostgresServer(); // stopped at process exit too, should the setup fail before GlobalCleanup can
        _server.Execute($"""
            CREATE TABLE flights AS
            SELECT i AS id, (i::bigint * 7919) % 2000 AS distance, ((i * 31) % 600) / 10.0 AS delay,
                   'airport-' || (i * 13) % 300 AS origin, 'airport-' || (i * 17) % 300 AS destination,
                   i % 7 = 0 AS holiday, DATE '2024-01-01' + i % 366 AS day
            FROM generate_series(1, {Rows}) AS i;
            """);
        _work = Path.Combine(Path.GetTempPath(), "mlops-pg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_work, ".git"));
        File.WriteAllText(Path.Combine(_work, "Flights.mlmodel.json"), """
            {
              "name": "Flights",
              "task": "regression",
              "label": "delay",
              "data": { "train": { "sql": "SELECT * FROM flights", "engine": "postgres", "connection": "BENCH_DB" } },
              "trainer": "FastTree"
            }
            """);
        _trainer = PackedTrainer.Extract(_work);
    }

    [Benchmark(Baseline = true, Description = "psql: COPY (SELECT * FROM flights) TO STDOUT > file")]
    public string CopyToFile()
    {
        var url = $"postgresql://{PostgresServer.User}:{_server!.Password}@127.0.0.1:{_server.Port}/postgres";
        return ChildProcess.Run(nameof(CopyToFile), _work, "sh", "-c",
            $"psql '{url}' -c 'COPY (SELECT * FROM flights) TO STDOUT' > '{Path.Combine(_work, "copy.txt")}'");
    }

    [Benchmark(Description = "the trainer's snapshot: SELECT … ORDER BY every column → Parquet, hashed")]
    public string Snapshot()
    {
        var environment = new Dictionary<string, string>
        {
            ["MLOPS_SNAPSHOT_DIR"] = Path.Combine(_work, "store-" + ++_iteration),
            ["BENCH_DB"] = _server!.ConnectionString,
        };
        var (output, peak, _) = ChildProcess.Measure(_work, environment, "dotnet", _trainer, "snapshot",
            "--manifest", Path.Combine(_work, "Flights.mlmodel.json"), "--repository-root", _work, "--update-lock", "true");
        ChildProcess.Record(nameof(Snapshot), peak);
        return output;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server?.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}

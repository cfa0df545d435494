using BenchmarkDotNet.Attributes;
using MLOps.Build.Progress;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Training at scale: flights-3m.parquet (npm vega-datasets@3.2.1; 3,000,000 rows), regression of `delay` on `distance`
/// and the airports `origin` and `destination` (hundreds of categories each), LightGbm, 10% held out.
/// The build's trainer, exactly as `dotnet build` runs it (the packed MLOps.Build's tools/trainer), against ML.NET
/// called directly on the same data and pipeline (MLOps.Build.Benchmarks.MLNetDirect), each a process of its own so
/// that its peak memory is measured with its time. Needs `dotnet pack MLOps.Build.sln -c Release -o artifacts/packages`.
/// The baseline runs on ML.NET's default threads, the trainer on its fixed count (TrainingThreads.Trees).
/// Goal: time ≤ 1.2×, peak memory ≤ 1.5× the baseline.
/// </summary>
[Config(typeof(ProcessBenchmarkConfig))]
public class FlightsTrainingBenchmarks
{
    private string _work = "";
    private string _trainer = "";
    private string _direct = "";
    private string _data = "";

    [GlobalSetup]
    public void Setup()
    {
        var repository = ScoringFixture.RepositoryRoot;
        _data = FlightsDriftBenchmarks.FlightsFile();
        _work = Path.Combine(Path.GetTempPath(), "mlops-flights-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);
        File.Copy(_data, Path.Combine(_work, "flights-3m.parquet"));
        File.WriteAllText(Path.Combine(_work, "Flights.mlmodel.json"), """
            {
              "name": "FlightDelay",
              "task": "regression",
              "label": "delay",
              "data": { "train": "flights-3m.parquet", "testFraction": 0.1 },
              "columns": { "origin": "category", "destination": "category" },
              "exclude": ["date"],
              "trainer": "LightGbm",
              "seed": 42
            }
            """);
        _trainer = PackedTrainer.Extract(_work);
        var directProject = Path.Combine(repository, "benchmarks", "MLOps.Build.Benchmarks.MLNetDirect");
        ChildProcess.Run("build", directProject, "dotnet", "build", "-c", "Release", "-o", Path.Combine(_work, "direct"));
        _direct = Path.Combine(_work, "direct", "MLOps.Build.Benchmarks.MLNetDirect.dll");
    }

    [Benchmark(Baseline = true, Description = "ML.NET called directly (read, fit, evaluate), ML.NET's default threads")]
    public string MLNetDirect() => ChildProcess.Run(nameof(MLNetDirect), _work, "dotnet", _direct, _data, "42", "default");

    [Benchmark(Description = "ML.NET called directly (read, fit, evaluate), one thread")]
    public string MLNetDirectOneThread() => ChildProcess.Run(nameof(MLNetDirectOneThread), _work, "dotnet", _direct, _data, "42", "1");

    [Benchmark(Description = "the build's trainer (read, fit, evaluate, importance, export, parity, statistics)")]
    public string BuildTrainer()
    {
        var output = ChildProcess.Run(nameof(BuildTrainer), _work, "dotnet", _trainer, "train",
            "--manifest", Path.Combine(_work, "Flights.mlmodel.json"), "--output", Path.Combine(_work, "out"), "--fingerprint", "benchmark");
        // Where the time went, from the trainer's own closing progress line.
        var done = output.Split('\n').Select(ProgressLine.TryParse).LastOrDefault(p => p?.Stage == "done");
        Console.WriteLine($"// trainer stages: {done?.Message}");
        return output;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);
}

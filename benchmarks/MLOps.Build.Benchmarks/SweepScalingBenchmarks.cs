using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// How a sweep scales over the machine's cores: the trainer (`train`, as the build runs it) on the 24-trial sweep of
/// <see cref="SweepBenchmarks.WriteManifest"/>, pinned to one core (taskset; Linux) against the same command free on
/// every core, each run with an empty trial cache. Between them: every core, one trial at a time, which shows how much
/// of the machine ML.NET's own threads already use. Goal: speed-up ≥ 0.8 × cores (ratio ≤ 1 / (0.8 × cores)), and CPU
/// seconds (the trainer's and its sweep workers') within 1.3 × the pinned run's.
/// </summary>
[Config(typeof(Config))]
public class SweepScalingBenchmarks
{
    private const int Trials = 24;
    private string _work = "";
    private string _manifest = "";
    private string _trainer = "";

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
            AddColumn(new PeakMemoryColumn(ratio: false), new CpuTimeColumn(ratio: false), new CpuTimeColumn(ratio: true));
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Pinning the trainer to one core uses taskset.");
        }
        _work = Path.Combine(Path.GetTempPath(), "mlops-sweep-scaling-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);
        _manifest = SweepBenchmarks.WriteManifest(_work, Trials);
        _trainer = typeof(Trainer.TrainCommand).Assembly.Location;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    [Benchmark(Baseline = true, Description = "one core (taskset -c 0)")]
    public string OneCore() => ChildProcess.Run(nameof(OneCore), _work, "taskset", ["-c", "0", "dotnet", .. Train(1)]);

    [Benchmark(Description = "every core, one trial at a time")]
    public string EveryCoreOneTrialAtATime() => ChildProcess.Run(nameof(EveryCoreOneTrialAtATime), _work, "dotnet", Train(1));

    [Benchmark(Description = "every core, a trial per core")]
    public string EveryCore() => ChildProcess.Run(nameof(EveryCore), _work, "dotnet", Train(Environment.ProcessorCount));

    private string[] Train(int parallelism) =>
        [_trainer, "train", "--manifest", _manifest, "--output", Path.Combine(_work, Guid.NewGuid().ToString("N")), "--fingerprint", "benchmark",
         "--parallelism", parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}

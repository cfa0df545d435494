using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Operations of seconds each, run in this process: monitored (one op per iteration, no pilot stage), one warm-up,
/// then <c>iterations</c> timed runs (five unless a derived config says otherwise).
/// </summary>
internal class MonitoringConfig : ManualConfig
{
    public MonitoringConfig()
        : this(iterations: 5)
    {
    }

    protected MonitoringConfig(int iterations) =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(iterations));
}

using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Runs a benchmarked program as a child process under GNU time, so that its peak resident memory is measured too
/// (BenchmarkDotNet measures time and allocations, not a process's peak), and keeps each benchmark's peaks for
/// <see cref="PeakMemoryColumn"/>. Benchmarks using it run in process (InProcessEmitToolchain) so the column sees them.
/// </summary>
internal static class ChildProcess
{
    private static readonly Dictionary<string, List<long>> Peaks = [];

    /// <summary>Runs the command, records its peak RSS under <paramref name="benchmark"/>, returns its standard output.</summary>
    public static string Run(string benchmark, string directory, string command, params string[] arguments)
    {
        var (output, peak) = Measure(directory, null, command, arguments);
        Record(benchmark, peak);
        return output;
    }

    /// <summary>Records one iteration's peak (for a benchmark of several processes: the largest of theirs).</summary>
    public static void Record(string benchmark, long peakBytes)
    {
        lock (Peaks)
        {
            (Peaks.TryGetValue(benchmark, out var list) ? list : Peaks[benchmark] = []).Add(peakBytes);
        }
    }

    /// <summary>Runs the command under GNU time; its standard output and its peak resident memory in bytes.</summary>
    public static (string Output, long PeakBytes) Measure(string directory, IReadOnlyDictionary<string, string>? environment, string command, params string[] arguments)
    {
        var peakFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "%M", "-o", peakFile, command }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ROLL_FORWARD"] = "Major";
        foreach (var variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed:\n{output.Result}\n{error.Result}");
        }
        var kilobytes = long.Parse(File.ReadAllLines(peakFile).Last(l => l.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture);
        File.Delete(peakFile);
        return (output.Result, kilobytes * 1024);
    }

    public static double? MedianPeak(string benchmark)
    {
        lock (Peaks)
        {
            if (!Peaks.TryGetValue(benchmark, out var list) || list.Count == 0)
            {
                return null;
            }
            var sorted = list.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
        }
    }
}

/// <summary>Median peak RSS of each benchmark's child processes, and its ratio to the baseline's.</summary>
/// <summary>
/// A benchmark of whole processes (each run under <see cref="ChildProcess"/>): in process, so that the peak-memory
/// columns see the recorded peaks, monitored (one op per iteration), one warm-up, three iterations.
/// </summary>
internal class ProcessBenchmarkConfig : ManualConfig
{
    public ProcessBenchmarkConfig()
        : this(iterations: 3)
    {
    }

    protected ProcessBenchmarkConfig(int iterations)
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(iterations));
        AddColumn(new PeakMemoryColumn(ratio: false), new PeakMemoryColumn(ratio: true));
    }

    /// <summary>For runs of a few seconds, where three iterations say too little.</summary>
    public sealed class FiveIterations() : ProcessBenchmarkConfig(iterations: 5);
}

/// <summary>The trainer exactly as `dotnet build` runs it: tools/trainer of the packed MLOps.Build.</summary>
internal static class PackedTrainer
{
    /// <summary>Extracts the package under <paramref name="work"/>; the trainer's path.</summary>
    public static string Extract(string work)
    {
        var package = Path.Combine(ScoringFixture.RepositoryRoot, "artifacts", "packages", "MLOps.Build.0.1.0.nupkg");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException("Run `dotnet pack MLOps.Build.sln -c Release -o artifacts/packages` first.");
        }
        var tools = Path.Combine(work, "package");
        System.IO.Compression.ZipFile.ExtractToDirectory(package, tools);
        return Path.Combine(tools, "tools", "trainer", "MLOps.Build.Trainer.dll");
    }
}

internal sealed class PeakMemoryColumn(bool ratio) : IColumn
{
    public string Id => ratio ? "PeakRatio" : "PeakRss";
    public string ColumnName => ratio ? "Peak ratio" : "Peak RSS";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => ratio ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => ratio ? UnitType.Dimensionless : UnitType.Size;
    public string Legend => ratio ? "Median peak RSS over the baseline's" : "Median peak resident memory of the benchmarked process";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var peak = ChildProcess.MedianPeak(benchmarkCase.Descriptor.WorkloadMethod.Name);
        if (peak is null)
        {
            return "-";
        }
        if (!ratio)
        {
            return (peak.Value / (1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MB";
        }
        var baseline = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Baseline);
        var basePeak = baseline is null ? null : ChildProcess.MedianPeak(baseline.Descriptor.WorkloadMethod.Name);
        return basePeak is null ? "-" : (peak.Value / basePeak.Value).ToString("0.00", CultureInfo.InvariantCulture);
    }
}

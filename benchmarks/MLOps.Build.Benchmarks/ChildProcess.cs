using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Runs a benchmarked program as a child process under GNU time, so that its peak resident memory and the CPU time of
/// it and the processes it waited for are measured too (BenchmarkDotNet measures time and allocations, not a process's
/// peak or its CPU), and keeps each benchmark's figures for <see cref="PeakMemoryColumn"/> and
/// <see cref="CpuTimeColumn"/>. Benchmarks using it run in process (InProcessEmitToolchain) so the columns see them.
/// </summary>
internal static class ChildProcess
{
    private static readonly Dictionary<string, List<double>> Peaks = [];
    private static readonly Dictionary<string, List<double>> CpuSeconds = [];

    /// <summary>Runs the command, records its peak RSS and CPU time under <paramref name="benchmark"/>, returns its standard output.</summary>
    public static string Run(string benchmark, string directory, string command, params string[] arguments)
    {
        var (output, peak, cpu) = Measure(directory, null, command, arguments);
        Record(benchmark, peak);
        Add(CpuSeconds, benchmark, cpu);
        return output;
    }

    /// <summary>Records one iteration's peak (for a benchmark of several processes: the largest of theirs).</summary>
    public static void Record(string benchmark, long peakBytes) => Add(Peaks, benchmark, peakBytes);

    private static void Add(Dictionary<string, List<double>> figures, string benchmark, double value)
    {
        lock (figures)
        {
            (figures.TryGetValue(benchmark, out var list) ? list : figures[benchmark] = []).Add(value);
        }
    }

    /// <summary>
    /// Runs the command under GNU time; its standard output, its peak resident memory in bytes, and the user and system
    /// CPU seconds of it and of every process it waited for (a trainer's sweep workers).
    /// </summary>
    public static (string Output, long PeakBytes, double CpuSeconds) Measure(string directory, IReadOnlyDictionary<string, string>? environment, string command, params string[] arguments)
    {
        var peakFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "%M %U %S", "-o", peakFile, command }.Concat(arguments))
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
        var figures = File.ReadAllLines(peakFile).Last(l => l.Trim().Length > 0).Trim().Split(' ')
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        File.Delete(peakFile);
        return (output.Result, (long)figures[0] * 1024, figures[1] + figures[2]);
    }

    public static double? MedianPeak(string benchmark) => Median(Peaks, benchmark);

    public static double? MedianCpuSeconds(string benchmark) => Median(CpuSeconds, benchmark);

    private static double? Median(Dictionary<string, List<double>> figures, string benchmark)
    {
        lock (figures)
        {
            if (!figures.TryGetValue(benchmark, out var list) || list.Count == 0)
            {
                return null;
            }
            var sorted = list.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
        }
    }
}

/// <summary>
/// A benchmark of whole processes (each run under <see cref="ChildProcess"/>): in process, so that the peak-memory
/// columns see the recorded peaks, monitored (one op per iteration), one warm-up, three iterations.
/// </summary>
internal class ProcessBenchmarkConfig : MonitoringConfig
{
    public ProcessBenchmarkConfig()
        : this(iterations: 3)
    {
    }

    protected ProcessBenchmarkConfig(int iterations)
        : base(iterations) => AddColumn(new PeakMemoryColumn(ratio: false), new PeakMemoryColumn(ratio: true));

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

/// <summary>A figure recorded for each run of a benchmark's child process: its median, or its median's ratio to the baseline's.</summary>
internal abstract class ChildProcessColumn(bool ratio) : IColumn
{
    public abstract string Id { get; }
    public abstract string ColumnName { get; }
    public abstract string Legend { get; }
    public abstract int PriorityInCategory { get; }
    public virtual UnitType UnitType => UnitType.Dimensionless;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public bool IsNumeric => true;
    protected bool Ratio => ratio;

    /// <summary>The benchmark's median figure, null when it recorded none.</summary>
    protected abstract double? Median(string benchmark);

    protected abstract string Format(double median);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (Median(benchmarkCase.Descriptor.WorkloadMethod.Name) is not { } median)
        {
            return "-";
        }
        if (!ratio)
        {
            return Format(median);
        }
        var baseline = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Baseline);
        return baseline is not null && Median(baseline.Descriptor.WorkloadMethod.Name) is { } baseMedian
            ? (median / baseMedian).ToString("0.00", CultureInfo.InvariantCulture)
            : "-";
    }
}

/// <summary>Median peak RSS of each benchmark's child processes, and its ratio to the baseline's.</summary>
internal sealed class PeakMemoryColumn(bool ratio) : ChildProcessColumn(ratio)
{
    public override string Id => Ratio ? "PeakRatio" : "PeakRss";
    public override string ColumnName => Ratio ? "Peak ratio" : "Peak RSS";
    public override int PriorityInCategory => Ratio ? 1 : 0;
    public override UnitType UnitType => Ratio ? UnitType.Dimensionless : UnitType.Size;
    public override string Legend => Ratio ? "Median peak RSS over the baseline's" : "Median peak resident memory of the benchmarked process";

    protected override double? Median(string benchmark) => ChildProcess.MedianPeak(benchmark);

    protected override string Format(double median) => (median / (1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MB";
}

/// <summary>Median CPU seconds (user and system) of each benchmark's child process and the processes it started, and its ratio to the baseline's.</summary>
internal sealed class CpuTimeColumn(bool ratio) : ChildProcessColumn(ratio)
{
    public override string Id => Ratio ? "CpuRatio" : "CpuSeconds";
    public override string ColumnName => Ratio ? "CPU ratio" : "CPU s";
    public override int PriorityInCategory => Ratio ? 3 : 2;
    public override string Legend => Ratio ? "Median CPU seconds over the baseline's" : "Median user and system CPU seconds of the benchmarked process and those it waited for";

    protected override double? Median(string benchmark) => ChildProcess.MedianCpuSeconds(benchmark);

    protected override string Format(double median) => median.ToString("0.00", CultureInfo.InvariantCulture);
}

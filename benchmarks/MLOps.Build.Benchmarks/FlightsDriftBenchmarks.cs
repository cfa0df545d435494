using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Drift;
using MLOps.Build.Trainer.Statistics;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Drift over a real 3-million-row file: <c>data/flights-3m.parquet</c> from the npm package vega-datasets@3.2.1
/// (fetched with <c>npm pack</c> on first use into artifacts/benchmark-data, never committed), against the time to
/// merely read it the way the drift check does. The reference is the file's first million rows, prepared once, as
/// the training side is.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class FlightsDriftBenchmarks
{
    private const int ReferenceRows = 1_000_000;
    private string _path = null!;
    private (string Name, ColumnKind Kind)[] _schema = null!;
    private FeatureSample[] _reference = null!;
    private IReadOnlyList<double>?[] _edges = null!;
    private FeatureDriftSettings[] _settings = null!;
    private ReportLocation[] _locations = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = FlightsFile();
        var scan = DataFileReader.Scan(_path, _path, FileLocation.File(_path), new DiagnosticBag())!;
        _schema = scan.Headers.Select((h, i) => (h, scan.Profiles[i].Infer())).ToArray();
        var reference = ReadTyped().Select(c => c.Select(Enumerable.Range(0, ReferenceRows).ToArray())).ToArray();
        _reference = reference.Select(FeatureSample.From).ToArray();
        _edges = reference.Select(c => (IReadOnlyList<double>?)ColumnStatistics.Compute(c).Histogram?.Edges).ToArray();
        // What "auto" picks for a million reference rows: Wasserstein for numbers, Jensen–Shannon for categories.
        _settings = reference.Select(c => new FeatureDriftSettings(c.IsNumeric ? "wasserstein" : "jensenshannon", 0.1)).ToArray();
        _locations = reference.Select(_ => new ReportLocation("", 0, 0)).ToArray();
        Console.WriteLine($"// flights-3m: {scan.RowCount} rows; columns {string.Join(", ", _schema.Select(s => $"{s.Name} ({s.Kind.ToName()})"))}");
    }

    [Benchmark(Baseline = true, Description = "read flights-3m.parquet (typed columns)")]
    public int Read() => ReadTyped().Length;

    [Benchmark(Description = "read + drift of every column against the reference")]
    public int ReadAndDrift()
    {
        var current = ReadTyped();
        return FeatureDriftCalculator.CompareAll(_reference, current, _edges, _settings, _locations).Count(c => c.Drifted);
    }

    /// <summary>The file's columns, typed, the way the drift check reads current data.</summary>
    private FeatureColumn[] ReadTyped()
    {
        var requests = _schema.Select(s => ColumnTyper.Request(s.Name, s.Kind)).ToArray();
        var columns = DataFileReader.Read(_path, _path, FileLocation.File(_path), requests, new DiagnosticBag())!;
        return _schema.Select((s, i) => new FeatureColumn(s.Name, s.Kind, columns.Columns[i]!.Numbers, columns.Columns[i]!.Categories)).ToArray();
    }

    internal static string FlightsFile() => VegaDatasets.File("flights-3m.parquet");
}

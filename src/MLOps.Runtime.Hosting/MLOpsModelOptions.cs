namespace MLOps.Runtime.Hosting;

/// <summary>
/// How a hosted model is loaded and judged, bound from the configuration section <c>MLOps:Models:&lt;ModelName&gt;</c>
/// (keys named as these properties), then from the code passed to <c>AddMLOpsModel</c>.
/// </summary>
public sealed class MLOpsModelOptions
{
    /// <summary>The configuration section of a model: <c>MLOps:Models:&lt;ModelName&gt;</c>.</summary>
    public static string SectionOf(string modelName) => "MLOps:Models:" + modelName;

    /// <summary>Count inputs into the training bins (<see cref="ModelSessionOptions.MonitorDrift"/>). The model's health check turns it on.</summary>
    public bool MonitorDrift { get; set; }

    /// <summary>Keep keyed predictions for their outcomes (<see cref="ModelSessionOptions.TrackOutcomes"/>). The model's health check turns it on.</summary>
    public bool TrackOutcomes { get; set; }

    /// <summary>Predictions waiting for their outcome at most. Default 100,000.</summary>
    public int MaxPendingOutcomes { get; set; } = 100_000;

    /// <summary>
    /// Windows of recent traffic, as "15m", "1h", "1d" or "90s"; null (unset): "15m". The first one is what the health
    /// check judges. (A default list would be appended to, not replaced, by configuration.)
    /// </summary>
    public List<string>? DriftWindows { get; set; }

    /// <summary>The windows in effect: <see cref="DriftWindows"/>, or "15m".</summary>
    internal IReadOnlyList<string> EffectiveWindows => DriftWindows is { Count: > 0 } windows ? windows : ["15m"];

    /// <summary>
    /// The folder captured traffic is written to (<see cref="ModelSessionOptions.CaptureDirectory"/>), relative to the
    /// app's working directory; capture is on when this and <see cref="CaptureSampleRate"/> are set.
    /// </summary>
    public string? CaptureDirectory { get; set; }

    /// <summary>The share of scored rows captured, 0 to 1. Default 0 (off).</summary>
    public double CaptureSampleRate { get; set; }

    /// <summary>Rows in one captured file at most. Default 100,000.</summary>
    public int CaptureRowsPerFile { get; set; } = 100_000;

    /// <summary>How long a captured file collects rows before it is written, as a window is written ("5m", "1h"). Default "5m".</summary>
    public string CaptureFileInterval { get; set; } = "5m";

    /// <summary>Captured rows waiting for the writer at most; beyond it rows are dropped and counted. Default 10,000.</summary>
    public int CaptureQueueCapacity { get; set; } = 10_000;

    /// <summary>Bytes captured rows may hold while they wait and while a file collects them; a row that does not fit is dropped and counted. Default 64 MiB.</summary>
    public long CaptureMemoryLimit { get; set; } = 64L << 20;

    /// <summary>Score with ONNX Runtime even when the build compiled the model.</summary>
    public bool UseOnnxRuntime { get; set; }

    /// <summary>
    /// A feature whose PSI over the judged window reaches this makes the model Degraded. Unset (null): the PSI threshold
    /// the manifest sets for the feature or for all (<c>"drift": { "method": "psi", "threshold": … }</c>), else
    /// <see cref="DefaultDriftWarning"/>. Set, it applies to every feature.
    /// </summary>
    public double? DriftWarning { get; set; }

    /// <summary>
    /// The PSI warning level when neither configuration nor the manifest sets one: 0.2, above the build's 0.1 because a
    /// window is a small sample (an unchanged sample of n values over k bins has an expected PSI of about (k − 1) / n).
    /// </summary>
    public const double DefaultDriftWarning = 0.2;

    /// <summary>Values a window needs before its drift is judged. Default 100.</summary>
    public long MinimumRows { get; set; } = 100;

    /// <summary>Outcomes a window needs before its live metrics are judged. Default 100.</summary>
    public long MinimumOutcomes { get; set; } = 100;

    /// <summary>A live metric worse than the test metric by more than this makes the model Degraded. Default 0.05.</summary>
    public double QualityMargin { get; set; } = 0.05;

    /// <summary>
    /// Live quality gates (metric name → bounds): a live metric outside its bounds over the judged window makes the
    /// model Unhealthy. The manifest's gates with a <c>min</c> or <c>max</c> apply without configuration; a metric
    /// configured here replaces the manifest's gate on it.
    /// </summary>
    public Dictionary<string, MetricBounds> Gates { get; set; } = new(StringComparer.Ordinal);

    internal ModelSessionOptions ToSessionOptions() => new()
    {
        MonitorDrift = MonitorDrift,
        TrackOutcomes = TrackOutcomes,
        MaxPendingOutcomes = MaxPendingOutcomes,
        UseOnnxRuntime = UseOnnxRuntime,
        DriftWindows = EffectiveWindows.Select(Monitoring.DriftWindow.Parse).ToList(),
        CaptureDirectory = CaptureDirectory,
        CaptureSampleRate = CaptureSampleRate,
        CaptureRowsPerFile = CaptureRowsPerFile,
        CaptureFileInterval = Monitoring.DriftWindow.ParseLength(CaptureFileInterval, "capture file interval"),
        CaptureQueueCapacity = CaptureQueueCapacity,
        CaptureMemoryLimit = CaptureMemoryLimit,
        CaptureFormat = ParquetCaptureFormat.Instance,
    };
}

/// <summary>A live gate's bounds: the metric must stay at or above <see cref="Min"/> and at or below <see cref="Max"/>.</summary>
public sealed class MetricBounds
{
    /// <summary>The lowest acceptable value; null: none.</summary>
    public double? Min { get; set; }

    /// <summary>The highest acceptable value; null: none.</summary>
    public double? Max { get; set; }
}

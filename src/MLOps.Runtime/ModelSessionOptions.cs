using Microsoft.ML.OnnxRuntime;

namespace MLOps.Runtime;

/// <summary>
/// How a generated model creates its session. A compiled model (the build's choice, see
/// <see cref="UseOnnxRuntime"/>) uses only <see cref="MonitorDrift"/>; the other settings apply to ONNX Runtime.
/// </summary>
public sealed class ModelSessionOptions
{
    /// <summary>
    /// Threads one inference may use. Default 1: scoring a row of a tree ensemble is faster on one thread than
    /// the hand-off to a pool costs, and a server scores many requests in parallel anyway.
    /// </summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>Graph optimizations ONNX Runtime applies when loading the model. Default: all.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// ONNX Runtime's own log level. Default: errors only (ML.NET's exported one-hot encoders make it warn about
    /// shape merging on every load, which is harmless).
    /// </summary>
    public OrtLoggingLevel LogSeverityLevel { get; set; } = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    /// <summary>
    /// Count every scored input into its training bins and publish prediction count, latency and per-feature PSI
    /// through the <c>MLOps.Runtime</c> meter (<see cref="Monitoring.DriftMonitor"/>). Default false.
    /// </summary>
    public bool MonitorDrift { get; set; }

    /// <summary>
    /// Windows of recent traffic the drift monitor reports on besides everything since it started (the
    /// <c>mlops.window</c> tag). Default: the last 15 minutes. Empty: everything since the start only.
    /// </summary>
    public IList<Monitoring.DriftWindow> DriftWindows { get; set; } = [new Monitoring.DriftWindow(TimeSpan.FromMinutes(15))];

    /// <summary>
    /// Keep each prediction scored with a key (<c>Predict(input, key)</c>) until its outcome is reported
    /// (<c>RecordOutcome(key, actual)</c>), and publish live metrics from the outcomes
    /// (<see cref="Monitoring.OutcomeTracker"/>). Default false.
    /// </summary>
    public bool TrackOutcomes { get; set; }

    /// <summary>Predictions waiting for their outcome at most; beyond it the oldest are evicted (and counted). Default 100,000.</summary>
    public int MaxPendingOutcomes { get; set; } = 100_000;

    /// <summary>
    /// The folder traffic capture writes Parquet files to (<see cref="Monitoring.TrafficCapture"/>); capture is on when
    /// this is set and <see cref="CaptureSampleRate"/> is above 0. Default: null (off).
    /// </summary>
    public string? CaptureDirectory { get; set; }

    /// <summary>
    /// How captured files are written: MLOps.Runtime.Hosting's <c>ParquetCaptureFormat</c> (set by its hosting section).
    /// Required when capture is on.
    /// </summary>
    public Monitoring.CaptureFormat? CaptureFormat { get; set; }

    /// <summary>The share of scored rows captured, 0 to 1 (0.01: one row in a hundred). Default 0 (off).</summary>
    public double CaptureSampleRate { get; set; }

    /// <summary>Rows in one captured file at most; a file is also closed after <see cref="CaptureFileInterval"/>. Default 100,000.</summary>
    public int CaptureRowsPerFile { get; set; } = 100_000;

    /// <summary>How long a captured file collects rows before it is written and visible. Default 5 minutes.</summary>
    public TimeSpan CaptureFileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Captured rows waiting for the writer at most; beyond it rows are dropped (and counted), never waited for. Default 10,000.</summary>
    public int CaptureQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Bytes captured rows may hold while they wait and while a file collects them (their values: a string takes two
    /// bytes a character); a row that does not fit is dropped and counted, and a file is written early once its rows
    /// take half of it. Default 64 MiB.
    /// </summary>
    public long CaptureMemoryLimit { get; set; } = 64L << 20;

    /// <summary>
    /// What is wrong with these options for what they turn on, one sentence each; empty when nothing is. Loading a
    /// model refuses the first (an <see cref="ArgumentOutOfRangeException"/>); a host checks them all at its start
    /// (MLOps.Runtime.Hosting's <c>AddMLOpsModel</c>). A setting that nothing turned on is not checked.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TrackOutcomes && MaxPendingOutcomes < 1)
        {
            problems.Add(FormattableString.Invariant($"MaxPendingOutcomes must be at least 1 (it is {MaxPendingOutcomes})."));
        }
        if (CaptureDirectory is null)
        {
            return problems;
        }
        if (!(CaptureSampleRate is >= 0 and <= 1))
        {
            problems.Add(FormattableString.Invariant($"CaptureSampleRate must be from 0 (off) to 1 (it is {CaptureSampleRate})."));
        }
        else if (CaptureSampleRate > 0)
        {
            if (CaptureRowsPerFile < 1)
            {
                problems.Add(FormattableString.Invariant($"CaptureRowsPerFile must be at least 1 (it is {CaptureRowsPerFile})."));
            }
            if (CaptureQueueCapacity < 1)
            {
                problems.Add(FormattableString.Invariant($"CaptureQueueCapacity must be at least 1 (it is {CaptureQueueCapacity})."));
            }
            if (CaptureMemoryLimit < 1)
            {
                problems.Add(FormattableString.Invariant($"CaptureMemoryLimit must be at least 1 byte (it is {CaptureMemoryLimit})."));
            }
            if (CaptureFileInterval <= TimeSpan.Zero)
            {
                problems.Add(FormattableString.Invariant($"CaptureFileInterval must be longer than 0 (it is {CaptureFileInterval})."));
            }
        }
        return problems;
    }

    /// <summary>The clock drift windows follow; tests pass a fake one. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Score through ONNX Runtime even when the build compiled the model (for comparison, or for an execution
    /// provider). Default false: a compiled model is scored by MLOps.Runtime's own kernels.
    /// </summary>
    public bool UseOnnxRuntime { get; set; }

    /// <summary>
    /// Last word on ONNX Runtime's session options (execution providers, profiling, …). Not called for a compiled
    /// model: set <see cref="UseOnnxRuntime"/> as well to use an execution provider.
    /// </summary>
    public Action<SessionOptions>? Configure { get; set; }

    internal SessionOptions Create()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = IntraOpNumThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel,
            LogSeverityLevel = LogSeverityLevel,
        };
        Configure?.Invoke(options);
        return options;
    }
}

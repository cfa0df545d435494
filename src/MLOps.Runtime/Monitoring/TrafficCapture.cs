using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Traffic capture: a sampled share of scored rows (inputs, outputs, time, and the key of a keyed prediction) written
/// by a background writer to files in <see cref="Directory"/> (Parquet, through <see cref="ModelSessionOptions.CaptureFormat"/>), so that what the service saw can become pinned
/// data for the next build (<c>drift.current</c>, or labelled training data). Opt in with
/// <see cref="ModelSessionOptions.CaptureDirectory"/> and <see cref="ModelSessionOptions.CaptureSampleRate"/>.
/// </summary>
/// <remarks>
/// Never blocks or fails scoring: a sampled row goes into a bounded queue, and a full queue drops it (counted in
/// <see cref="Dropped"/>). Keyed predictions are sampled by their key, so a key is captured or not the same way
/// every time. A file is written under a hidden temporary name and renamed when complete (at
/// <see cref="ModelSessionOptions.CaptureRowsPerFile"/> rows, after <see cref="ModelSessionOptions.CaptureFileInterval"/>,
/// and on dispose), so a reader never sees a partial file, even after a crash. A folder that cannot be written is
/// counted (<see cref="Failures"/>, <see cref="LastError"/>) with the file's rows as dropped, and capture goes on.
/// Inputs and outputs with one value per row become one column each, named as the graph names them (a trained
/// model's inputs by the manifest's columns); wider outputs one column per element (<c>mlops_Score_0</c>, …).
/// </remarks>
public sealed class TrafficCapture : IDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<QueuedRow> _queue;
    private readonly CaptureFileWriter _writer;
    private readonly CaptureMemory _memory;
    private readonly Channel<QueuedRow>? _outcomeQueue;
    private readonly CaptureMemory? _outcomeMemory;
    private readonly CaptureFileWriter? _outcomeWriter;
    private readonly Task _writingOutcomes = Task.CompletedTask;
    private readonly CaptureColumns _columns;
    private readonly uint _threshold;
    private readonly Task _writing;
    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly TimeProvider _time;
    private long _dropped;
    private long _sampled;

    [ThreadStatic]
    private static uint t_random;

    internal TrafficCapture(string modelName, ModelSchema schema, string directory, ModelSessionOptions options)
    {
        // The sizes and the rate were checked with the other options (ModelSessionOptions.Problems) before loading.
        var format = options.CaptureFormat ?? throw new ArgumentException(
            "Capture needs a CaptureFormat: MLOps.Runtime.Hosting's ParquetCaptureFormat writes Parquet (AddMLOpsModel sets it).", nameof(options));
        ModelName = modelName;
        _time = options.TimeProvider;
        Directory = Path.GetFullPath(directory);
        SampleRate = options.CaptureSampleRate;
        _threshold = options.CaptureSampleRate >= 1 ? uint.MaxValue : (uint)(options.CaptureSampleRate * uint.MaxValue);
        _columns = new CaptureColumns(schema);
        _memory = new CaptureMemory(options.CaptureMemoryLimit);
        _writer = new CaptureFileWriter(Directory, MLOps.Shared.CaptureLayout.CaptureKind, modelName, _columns.Values, format, _memory);
        _queue = Queue(options.CaptureQueueCapacity);
        if (OutcomeKind(schema.Task) is { } outcomeKind)
        {
            OutcomesDirectory = Path.Combine(Directory, MLOps.Shared.CaptureLayout.OutcomesFolder);
            _outcomeMemory = new CaptureMemory(options.CaptureMemoryLimit);
            _outcomeWriter = new CaptureFileWriter(OutcomesDirectory, MLOps.Shared.CaptureLayout.OutcomesKind, modelName, [new CaptureColumn(CaptureColumn.Outcome, outcomeKind)], format, _outcomeMemory);
            _outcomeQueue = Queue(options.CaptureQueueCapacity);
        }
        _modelTag = new("mlops.model", modelName);
        _meter = new Meter(DriftMonitor.MeterName, typeof(TrafficCapture).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableCounter("mlops.model.capture.rows", () => new Measurement<long>(Written, _modelTag), "{row}",
            "Captured rows written to Parquet files.");
        _meter.CreateObservableCounter("mlops.model.capture.dropped", () => new Measurement<long>(Dropped, _modelTag), "{row}",
            "Sampled rows not captured: the writer's queue or memory limit was full, or their file could not be written.");
        _meter.CreateObservableCounter("mlops.model.capture.failures", () => new Measurement<long>(Failures, _modelTag), "{file}",
            "Captured files that could not be written.");
        _writing = Task.Run(() => _writer.RunAsync(_queue.Reader, options.CaptureRowsPerFile, options.CaptureFileInterval));
        if (_outcomeWriter is not null)
        {
            _writingOutcomes = Task.Run(() => _outcomeWriter.RunAsync(_outcomeQueue!.Reader, options.CaptureRowsPerFile, options.CaptureFileInterval));
        }
    }

    // TryWrite never waits; it returns false at a full queue only in Wait mode (the drop modes drop silently).
    private static Channel<QueuedRow> Queue(int capacity) =>
        Channel.CreateBounded<QueuedRow>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    /// <summary>How a trained model's outcome is stored: the class name, the label, the value; null for an imported model.</summary>
    private static TensorKind? OutcomeKind(PredictionTask? task) => task switch
    {
        PredictionTask.Multiclass => TensorKind.String,
        PredictionTask.Binary => TensorKind.Bool,
        PredictionTask.Regression => TensorKind.Float,
        _ => null,
    };

    /// <summary>The model the instruments are tagged with (<c>mlops.model</c>).</summary>
    public string ModelName { get; }

    /// <summary>The folder captured files are written to.</summary>
    public string Directory { get; }

    /// <summary>The share of rows captured.</summary>
    public double SampleRate { get; }

    /// <summary>The columns of a captured file, in order.</summary>
    public IReadOnlyList<string> Columns => _columns.Names;

    /// <summary>
    /// The sub-folder outcomes of captured keyed predictions are written to (<c>outcomes/outcomes-&lt;model&gt;-….parquet</c>:
    /// time, key, <c>mlops_outcome</c>), apart from the scored rows so that the capture folder stays one table; null for
    /// an imported model, which has no outcomes.
    /// </summary>
    public string? OutcomesDirectory { get; }

    /// <summary>Outcomes written to complete files (of keys that were captured).</summary>
    public long OutcomesWritten => _outcomeWriter?.Written ?? 0;

    /// <summary>Complete outcome files written so far, oldest first.</summary>
    public IReadOnlyList<string> OutcomeFiles => _outcomeWriter?.Files ?? [];

    /// <summary>Rows sampled for capture so far (written, waiting or dropped).</summary>
    public long Sampled => Volatile.Read(ref _sampled);

    /// <summary>Rows written to complete files.</summary>
    public long Written => _writer.Written;

    /// <summary>Sampled rows and outcomes not captured: dropped at a full queue, or in a file that could not be written.</summary>
    public long Dropped => Volatile.Read(ref _dropped) + _writer.Lost + (_outcomeWriter?.Lost ?? 0);

    /// <summary>Files (of rows or outcomes) that could not be written.</summary>
    public long Failures => _writer.Failures + (_outcomeWriter?.Failures ?? 0);

    /// <summary>Why the last file could not be written; null when none failed.</summary>
    public string? LastError => _writer.LastError ?? _outcomeWriter?.LastError;

    /// <summary>Complete files written so far, oldest first.</summary>
    public IReadOnlyList<string> Files => _writer.Files;

    /// <summary>Takes the sampled rows of a scored batch (called by <see cref="ModelBatch.Run(string)"/>).</summary>
    internal void Record(ModelBatch batch, ModelResults results, string? key)
    {
        DateTime? time = null;
        for (var row = 0; row < batch.Rows; row++)
        {
            if (!Sample(key))
            {
                continue;
            }
            Interlocked.Increment(ref _sampled);
            // The clock is read once a row of the call is sampled: the others (99 in 100 at 1 %) cost a random number only.
            time ??= _time.GetUtcNow().UtcDateTime;
            if (!Enqueue(_queue, _memory, new CapturedRow(time.Value, key, _columns.Read(batch, results, row))))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>
    /// Takes the outcome of a keyed prediction when its key is sampled, so that it is captured exactly when the
    /// prediction was (called by the outcome tracker once the outcome is known to be valid).
    /// </summary>
    internal void RecordOutcome(string key, object actual)
    {
        if (_outcomeQueue is null || !Sample(key))
        {
            return;
        }
        if (!Enqueue(_outcomeQueue, _outcomeMemory!, new CapturedRow(_time.GetUtcNow().UtcDateTime, key, [actual])))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Queues <paramref name="row"/> if it fits in the queue and in memory; false, holding nothing, if not.</summary>
    private static bool Enqueue(Channel<QueuedRow> queue, CaptureMemory memory, CapturedRow row)
    {
        var bytes = CaptureMemory.Of(row);
        if (!memory.TryTake(bytes))
        {
            return false;
        }
        if (!queue.Writer.TryWrite(new QueuedRow(row, bytes)))
        {
            memory.Release(bytes);
            return false;
        }
        return true;
    }

    /// <summary>Writes what is queued into a last file (waiting at most 30 s), then stops.</summary>
    public void Dispose()
    {
        if (!_queue.Writer.TryComplete())
        {
            return;
        }
        _outcomeQueue?.Writer.TryComplete();
        Task.WaitAll([_writing, _writingOutcomes], DisposeTimeout);
        _meter.Dispose();
    }

    /// <summary>
    /// A keyed row by its key (the same decision for the same key, in every process: its outcome is captured with it);
    /// another by a per-thread xorshift.
    /// </summary>
    private bool Sample(string? key)
    {
        if (_threshold == uint.MaxValue)
        {
            return true;
        }
        uint draw;
        if (key is not null)
        {
            draw = StableHash(key);
        }
        else
        {
            var x = t_random;
            if (x == 0)
            {
                x = (uint)Environment.CurrentManagedThreadId * 2654435761u | 1;
            }
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            t_random = x;
            draw = x;
        }
        return draw < _threshold;
    }

    /// <summary>
    /// FNV-1a over the key's UTF-16 code units, then MurmurHash3's finalizer to spread it: unlike
    /// <see cref="string.GetHashCode()"/>, the same in every process, so a restarted service samples a key as before.
    /// </summary>
    internal static uint StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash;
    }
}

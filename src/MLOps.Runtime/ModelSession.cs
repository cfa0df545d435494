using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLOps.Runtime;

/// <summary>
/// One scoring session shared by every caller of a model: the compiled scorer (<see cref="Compiled.CompiledModel"/>)
/// when the build checked it against ONNX Runtime for this model, else an ONNX Runtime session.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// and the compiled kernels are thread-safe; the input buffers are per call (<see cref="Rent"/>) or per thread
/// (<see cref="RentSingle"/>). Generated model classes drive it; application code rarely needs it directly.
/// </summary>
public sealed class ModelSession : IDisposable
{
    // Null when compiled: a compiled session never loads the ONNX Runtime native library.
    private readonly InferenceSession? _session;
    private readonly RunOptions? _runOptions;
    private readonly ThreadLocal<ModelBatch> _single;
    private bool _disposed;

    private ModelSession(InferenceSession? session, CompiledBinding? compiled, ModelSchema schema, ModelSessionOptions options, string? modelName)
    {
        _session = session;
        _runOptions = session is null ? null : new RunOptions();
        Compiled = compiled;
        Schema = schema;
        Monitor = options.MonitorDrift
            ? new Monitoring.DriftMonitor(modelName ?? schema.ModelName ?? "model", schema, [.. options.DriftWindows], options.TimeProvider)
            : null;
        Capture = options.CaptureDirectory is { } directory && options.CaptureSampleRate > 0
            ? new Monitoring.TrafficCapture(modelName ?? schema.ModelName ?? "model", schema, directory, options)
            : null;
        Outcomes = options.TrackOutcomes && schema.Task is not null
            ? new Monitoring.OutcomeTracker(modelName ?? schema.ModelName ?? "model", schema, options, Capture)
            : null;
        InputNames = schema.Inputs.Select(i => i.Name).ToArray();
        OutputNames = schema.Outputs.Select(o => o.Name).ToArray();
        _single = new ThreadLocal<ModelBatch>(() => schema.IsDynamic
            ? throw new InvalidOperationException("A model with dynamic dimensions is fed through RentDynamic.")
            : new ModelBatch(this, 1, pooled: false), trackAllValues: true);
        Validate();
    }

    /// <summary>Which engine scores: <see cref="ScoringEngine.Compiled"/> or <see cref="ScoringEngine.OnnxRuntime"/>.</summary>
    public ScoringEngine Engine => Compiled is null ? ScoringEngine.OnnxRuntime : ScoringEngine.Compiled;

    /// <summary>Why this session scores through ONNX Runtime although the build compiled the model; null otherwise.</summary>
    public string? OnnxRuntimeReason { get; private init; }

    internal CompiledBinding? Compiled { get; }

    /// <summary>The inputs fed and outputs fetched.</summary>
    public ModelSchema Schema { get; }

    /// <summary>The outcome tracker, when <see cref="ModelSessionOptions.TrackOutcomes"/> turned it on for a trained model.</summary>
    public Monitoring.OutcomeTracker? Outcomes { get; }

    /// <summary>The drift monitor, when <see cref="ModelSessionOptions.MonitorDrift"/> turned it on.</summary>
    public Monitoring.DriftMonitor? Monitor { get; }

    /// <summary>Traffic capture, when <see cref="ModelSessionOptions.CaptureDirectory"/> and a sample rate turned it on.</summary>
    public Monitoring.TrafficCapture? Capture { get; }

    internal string[] InputNames { get; }

    internal string[] OutputNames { get; }

    /// <summary>
    /// Creates a session from ONNX bytes: compiled when <see cref="ModelSchema.Compiled"/> says the build checked
    /// this model's compiled scores and <see cref="ModelSessionOptions.UseOnnxRuntime"/> is off, else ONNX Runtime.
    /// </summary>
    public static ModelSession Create(byte[] onnx, ModelSchema schema, ModelSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new ModelSessionOptions();
        if (options.Problems() is [var problem, ..])
        {
            throw new ArgumentOutOfRangeException(nameof(options), problem);
        }
        string? reason = null;
        if (schema.Compiled && !options.UseOnnxRuntime)
        {
            // Bytes passed to Load(byte[]) may be another model than the one the build checked; one that does not
            // compile or does not fit the class falls back to ONNX Runtime, and the session says why.
            if (Runtime.Compiled.CompiledModel.TryCompile(onnx, out var model, out reason) && CompiledBinding.TryBind(model, schema, out var binding, out reason))
            {
                return new ModelSession(null, binding, schema, options, null);
            }
        }
        using var sessionOptions = options.Create();
        return new ModelSession(new InferenceSession(onnx, sessionOptions), null, schema, options, null) { OnnxRuntimeReason = reason };
    }

    /// <summary>Creates a session from a model embedded by MLOps.Build (<see cref="EmbeddedModels"/>).</summary>
    public static ModelSession FromEmbeddedResource(Assembly assembly, string modelName, ModelSchema schema, ModelSessionOptions? options = null) =>
        Create(EmbeddedModels.Read(assembly, modelName), schema, options);

    /// <summary>Buffers for a batch of <paramref name="rows"/> rows, from a pool; dispose to return them.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public ModelBatch Rent(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new ModelBatch(this, rows, pooled: true);
    }

    /// <summary>Buffers for a batch of <paramref name="rows"/> rows of a graph with dynamic dimensions, all of one shape.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public DynamicBatch RentDynamic(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new DynamicBatch(this, rows);
    }

    /// <summary>This thread's one-row buffers, reused call after call without allocating. Do not dispose.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public ModelBatch RentSingle()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _single.Value!;
    }

    internal IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyCollection<OrtValue> inputs) =>
        _session!.Run(_runOptions!, InputNames, inputs, OutputNames);

    /// <summary>Releases the native session and every thread's buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var batch in _single.Values)
        {
            batch.Release();
        }
        _single.Dispose();
        Monitor?.Dispose();
        Outcomes?.Dispose();
        // Writes what is still queued into a last file.
        Capture?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
    }

    private void Validate()
    {
        if (_session is null)
        {
            return;
        }
        foreach (var input in Schema.Inputs)
        {
            if (!_session.InputMetadata.TryGetValue(input.Name, out var metadata))
            {
                throw new InvalidOperationException($"The ONNX model has no input '{input.Name}'; its inputs are {string.Join(", ", _session.InputMetadata.Keys)}. The model and its generated class are out of step: rebuild.");
            }
            if (metadata.ElementDataType != ToElementType(input.Kind))
            {
                throw new InvalidOperationException($"ONNX input '{input.Name}' holds {metadata.ElementDataType}, the generated class feeds {input.Kind}: rebuild.");
            }
        }
        foreach (var output in Schema.Outputs.Where(o => !_session.OutputMetadata.ContainsKey(o.Name)))
        {
            throw new InvalidOperationException($"The ONNX model has no output '{output.Name}'; rebuild.");
        }
    }

    internal static TensorElementType ToElementType(TensorKind kind) => kind switch
    {
        TensorKind.Float => TensorElementType.Float,
        TensorKind.Double => TensorElementType.Double,
        TensorKind.Int32 => TensorElementType.Int32,
        TensorKind.Int64 => TensorElementType.Int64,
        TensorKind.Bool => TensorElementType.Bool,
        _ => TensorElementType.String,
    };
}

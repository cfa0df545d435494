namespace MLOps.Runtime;

/// <summary>One graph input: its name, element type and the dimensions of one row (the row axis excluded).</summary>
public sealed class ModelInput
{
    /// <summary>Creates an input description.</summary>
    public ModelInput(string name, TensorKind kind, params long[] rowDimensions)
    {
        Name = name;
        Kind = kind;
        RowDimensions = rowDimensions.Length == 0 ? [1] : rowDimensions;
        IsDynamic = RowDimensions.Any(d => d < 0);
        Width = IsDynamic ? -1 : checked((int)RowDimensions.Aggregate(1L, (a, b) => a * b));
    }

    /// <summary>Whether a dimension after the row axis is decided per call (−1 in <see cref="RowDimensions"/>).</summary>
    public bool IsDynamic { get; }

    /// <summary>The graph input's name.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public TensorKind Kind { get; }

    /// <summary>Shape of one row; the tensor's shape is <c>[rows, ..RowDimensions]</c>; −1 marks a dynamic dimension.</summary>
    public IReadOnlyList<long> RowDimensions { get; }

    /// <summary>
    /// The graph's names of the row dimensions ("sequence"; empty when unnamed), or null. Dynamic dimensions that share
    /// a name must have one size in a call: <see cref="DynamicBatch"/> checks it and names the inputs that disagree.
    /// </summary>
    public IReadOnlyList<string>? DimensionNames { get; init; }

    /// <summary>Elements per row; −1 when <see cref="IsDynamic"/>.</summary>
    public int Width { get; }

    /// <summary>The training distribution, for the drift monitor; null when the model card has none (imported models).</summary>
    public Monitoring.DriftReference? DriftReference { get; init; }
}

/// <summary>One graph output the generated class reads.</summary>
public sealed class ModelOutput
{
    /// <summary>Creates an output description.</summary>
    public ModelOutput(string name, TensorKind kind, int width)
    {
        Name = name;
        Kind = kind;
        Width = width;
    }

    /// <summary>The graph output's name.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public TensorKind Kind { get; }

    /// <summary>Elements per row; −1 when the output's shape is known only at run time.</summary>
    public int Width { get; }
}

/// <summary>The inputs a generated class feeds and the outputs it fetches, in a fixed order.</summary>
public sealed class ModelSchema
{
    /// <summary>Creates a schema.</summary>
    public ModelSchema(IReadOnlyList<ModelInput> inputs, IReadOnlyList<ModelOutput> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        OutputWidths = outputs.Select(o => o.Width).ToArray();
    }

    /// <summary>The model's name (the manifest's <c>name</c>): the <c>mlops.model</c> tag of its metrics.</summary>
    public string? ModelName { get; init; }

    /// <summary>
    /// Whether the build compiled this model and checked the compiled scores against ONNX Runtime (the model card's
    /// <c>scoring.engine</c> is <c>compiled</c>): sessions then score without ONNX Runtime.
    /// </summary>
    public bool Compiled { get; init; }

    /// <summary>What a trained model predicts; null for an imported graph. Outcomes are tracked for trained models.</summary>
    public Monitoring.PredictionTask? Task { get; init; }

    /// <summary>The classes a multiclass model predicts, in the order of its scores.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The metrics the build measured on the test set, by ML.NET's names (live metrics are compared with them).</summary>
    public IReadOnlyDictionary<string, double>? TestMetrics { get; init; }

    /// <summary>
    /// A classifier's test rows per bin of confidence (the model card's calibration): with
    /// <see cref="CalibrationBinCorrect"/>, how the drift monitor calibrates confidence before it estimates accuracy, as
    /// the build's estimate does. Null: the confidence is taken as it is.
    /// </summary>
    public IReadOnlyList<long>? CalibrationBinRows { get; init; }

    /// <summary>The test rows per bin of confidence whose prediction was right.</summary>
    public IReadOnlyList<long>? CalibrationBinCorrect { get; init; }

    /// <summary>The manifest's drift warning levels and live gates: the health check's defaults.</summary>
    public Monitoring.MonitoringThresholds Thresholds { get; init; } = Monitoring.MonitoringThresholds.None;

    /// <summary>Inputs, in the order the generated code addresses them.</summary>
    public IReadOnlyList<ModelInput> Inputs { get; }

    /// <summary>Outputs, in the order the generated code addresses them. Only these are fetched.</summary>
    public IReadOnlyList<ModelOutput> Outputs { get; }

    // Each output's elements per row, shared by every result instead of computed per call.
    internal int[] OutputWidths { get; }

    /// <summary>Whether an input has a dynamic dimension after the row axis: such a model is fed through <see cref="DynamicBatch"/>.</summary>
    public bool IsDynamic => Inputs.Any(i => i.IsDynamic);
}

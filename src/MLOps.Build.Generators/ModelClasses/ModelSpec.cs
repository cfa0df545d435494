using MLOps.Build.Generators.Common;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>Everything the emitter needs for one model class; equatable, with no Roslyn symbols or locations.</summary>
/// <summary>What the model does, from the card's <c>task</c>: decides the generated outputs, outcomes and docs.</summary>
internal enum ModelKind
{
    /// <summary>An imported ONNX graph (task <c>onnx</c>, or any the generator does not train for).</summary>
    Imported,
    Binary,
    Multiclass,
    Regression,
}

internal static class ModelKinds
{
    /// <summary>The card's task name (<c>binary</c>, <c>multiclass</c>, <c>regression</c>); anything else is an imported graph.</summary>
    public static ModelKind Parse(string task) => task switch
    {
        "binary" => ModelKind.Binary,
        "multiclass" => ModelKind.Multiclass,
        "regression" => ModelKind.Regression,
        _ => ModelKind.Imported,
    };
}

internal sealed record ModelSpec(
    string ModelName,
    string ClassName,
    string Namespace,
    string Visibility,
    ModelKind Task,
    string Version,
    string? Label,
    string Trainer,
    string Fingerprint,
    EquatableArray<string> Classes,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<OutputSpec> Outputs,
    EquatableArray<MetricSpec> Metrics,
    bool SupportsBatches)
{
    /// <summary>Whether an input has a dynamic dimension after the row axis: rows are then fed through a DynamicBatch.</summary>
    public bool IsDynamic => Inputs.Any(i => i.DynamicDimensions > 0);

    /// <summary>How a sweep chose the trainer ("best of a 60-trial random sweep, 5-fold MacroAccuracy 0.52 ± 0.03"); empty when none did.</summary>
    public string Sweep { get; init; } = "";

    /// <summary>The build checked compiled scoring against ONNX Runtime: the session scores without ONNX Runtime.</summary>
    public bool Compiled { get; init; }

    /// <summary>Why the model is scored by ONNX Runtime (the operator outside the compiled subset); empty when compiled or unknown.</summary>
    public string OnnxRuntimeReason { get; init; } = "";

    /// <summary>The manifest's drift warning levels and live gate bounds (monitoring.json); none before its first resolve.</summary>
    public MonitoringSpec Monitoring { get; init; } = MonitoringSpec.None;

    /// <summary>A classifier's test rows per bin of confidence (the card's <c>calibration.binRows</c>); empty when the card has none.</summary>
    public EquatableArray<long> CalibrationBinRows { get; init; } = EquatableArray<long>.Empty;

    /// <summary>The test rows per bin whose prediction was right (<c>calibration.binCorrect</c>).</summary>
    public EquatableArray<long> CalibrationBinCorrect { get; init; } = EquatableArray<long>.Empty;
}

/// <param name="PsiWarning">The manifest's PSI threshold for every feature; null: the runtime's default.</param>
/// <param name="FeatureWarnings">PSI thresholds of single features, by their graph input name.</param>
internal sealed record MonitoringSpec(double? PsiWarning, EquatableArray<MetricSpec> FeatureWarnings, EquatableArray<GateBoundsSpec> Gates)
{
    public static MonitoringSpec None { get; } = new(null, EquatableArray<MetricSpec>.Empty, EquatableArray<GateBoundsSpec>.Empty);

    public bool IsNone => PsiWarning is null && FeatureWarnings.Count == 0 && Gates.Count == 0;
}

internal sealed record GateBoundsSpec(string Metric, double? Min, double? Max);

/// <param name="Kind">The MLOps.Runtime TensorKind member fed to the graph.</param>
/// <param name="PropertyType">The C# type of the Input property.</param>
/// <param name="Documentation">The property's summary: column, training range or categories.</param>
internal sealed record InputSpec(
    string Column,
    string Property,
    string PropertyType,
    string OnnxName,
    ElementKind Kind,
    EquatableArray<long> RowDimensions,
    string Documentation,
    InputStatisticsSpec? Statistics = null)
{
    /// <summary>Lower-case the value (invariant culture) before the graph sees it, as in training.</summary>
    public bool Lowercase { get; init; }

    /// <summary>What a missing value becomes, as the card writes it (a number in invariant "R" format, or a text); null: none.</summary>
    public string? Replacement { get; init; }

    /// <summary>The graph's names of the row dimensions ("sequence"), empty when the card has none.</summary>
    public EquatableArray<string> DimensionNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Dynamic dimensions after the row axis: 1 makes the property an array, more a Tensor.</summary>
    public int DynamicDimensions => RowDimensions.Count(d => d < 0);

    /// <summary>Parts a date input is expanded into (<c>MLOps.Runtime.DateFeatures</c>); 0 for other inputs.</summary>
    public int DateParts { get; init; }
}

/// <summary>
/// The training statistics of one input from the model card: the range and categories the input analyzer checks
/// literals against, and the bins the runtime drift monitor counts into.
/// </summary>
/// <param name="Edges">Quantile bin edges of a numeric input (empty for categories).</param>
/// <param name="Counts">Training rows per bin.</param>
/// <param name="CategoriesComplete">False when the card lists only the most frequent categories.</param>
internal sealed record InputStatisticsSpec(
    double? Min,
    double? Max,
    EquatableArray<double> Edges,
    EquatableArray<long> Counts,
    EquatableArray<string> Categories,
    EquatableArray<long> CategoryCounts,
    bool CategoriesComplete);

/// <param name="Width">Elements per row; −1 when the shape is known only at run time (the property is a Tensor).</param>
internal sealed record OutputSpec(string OnnxName, string Property, string PropertyType, ElementKind Kind, int Width, EquatableArray<long> RowDimensions)
{
    /// <summary>A dynamic output's shape with its dimension names ("[sequence, 384]"); empty otherwise.</summary>
    public string ShapeText { get; init; } = "";

    public bool IsDynamic => Width < 0;
}

internal sealed record MetricSpec(string Name, double Value);

/// <summary>
/// A diagnostic to report, with its descriptor and the file it is about: diagnostics in a pipeline must stay equatable
/// (a <see cref="Microsoft.CodeAnalysis.Location"/> holds a syntax tree; DiagnosticDescriptor compares by value), as
/// System.Text.Json's generator keeps its DiagnosticInfo.
/// </summary>
internal sealed record DiagnosticSpec(Microsoft.CodeAnalysis.DiagnosticDescriptor Descriptor, string Path, EquatableArray<string> Arguments)
{
    public Microsoft.CodeAnalysis.Diagnostic ToDiagnostic() => Microsoft.CodeAnalysis.Diagnostic.Create(Descriptor,
        Path.Length == 0 ? Microsoft.CodeAnalysis.Location.None : Microsoft.CodeAnalysis.Location.Create(Path, default, default),
        Common.DiagnosticArguments.Shown(Arguments.Cast<object?>().ToArray()));
}

internal sealed record ModelParseResult(ModelSpec? Model, DiagnosticSpec? Diagnostic);

/// <summary>What an AdditionalFiles item of MLOps.Build is (its <c>MLOpsKind</c> metadata, <see cref="Common.ProjectFiles"/>).</summary>
internal enum ModelFileKind
{
    Manifest,
    ModelCard,
    Monitoring,
}

/// <summary>The element type of an input or output: named as MLOps.Runtime's <c>TensorKind</c> members, which the emitter writes.</summary>
internal enum ElementKind
{
    Float,
    Double,
    Int32,
    Int64,
    Bool,
    String,
}

/// <summary>An AdditionalFiles item that MLOps.Build added, with the MSBuild metadata the compiler passes along.</summary>
internal sealed record ModelFile(ModelFileKind Kind, string Path, string ModelName, string ClassName, string Namespace, string Visibility, string? Text);

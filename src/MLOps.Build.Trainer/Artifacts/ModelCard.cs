namespace MLOps.Build.Trainer.Artifacts;

/// <summary>
/// modelcard.json, the one contract between the build and the compiler: the generator and analyzers read it.
/// Bump <see cref="CurrentSchemaVersion"/> on any change a reader could trip over.
/// </summary>
public sealed record ModelCard(
    int SchemaVersion,
    string Name,
    string Version,
    string Task,
    string? Label,
    string? PositiveClass,
    IReadOnlyList<string> Classes,
    IReadOnlyList<InputCard> Inputs,
    IReadOnlyList<OutputCard> Outputs,
    OnnxCard Onnx,
    DataCard? Data,
    TrainerCard? Trainer,
    IReadOnlyDictionary<string, double> Metrics,
    Training.ClassEvaluation? Evaluation,
    Training.CrossValidation? CrossValidation,
    IReadOnlyList<Training.FeatureImportance>? FeatureImportance,
    ParityCard? Parity,
    string Fingerprint,
    ToolCard Tool)
{
    public const int CurrentSchemaVersion = 1;
}

public sealed record InputCard(
    string Column,
    string Property,
    string Kind,
    [property: System.Text.Json.Serialization.JsonPropertyName("csharpType")] string CSharpType,
    string OnnxName,
    string OnnxType,
    IReadOnlyList<long> Shape,
    StatisticsCard? Statistics);

public sealed record StatisticsCard(
    long Count,
    long Missing,
    double MissingRate,
    double? Min,
    double? Max,
    double? Mean,
    double? Std,
    HistogramCard? Histogram,
    IReadOnlyList<CategoryCount>? Categories);

public sealed record HistogramCard(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

public sealed record CategoryCount(string Value, long Count);

public sealed record OutputCard(string Name, string Property, string OnnxName, string OnnxType, IReadOnlyList<long> Shape);

public sealed record OnnxCard(string File, string Sha256, long Opset, long IrVersion, string Producer, string ResourceName);

public sealed record DataCard(DataFileCard Train, DataFileCard? Test, double? TestFraction);

public sealed record DataFileCard(string Path, string Sha256, long Rows);

public sealed record TrainerCard(string Name, IReadOnlyDictionary<string, object?> Options, int Seed);

public sealed record ParityCard(double MaxAbsoluteDifference, double LabelAgreement, long Rows, double Tolerance);

public sealed record ToolCard(string Version, [property: System.Text.Json.Serialization.JsonPropertyName("mlnet")] string MLNet, string OnnxRuntime);

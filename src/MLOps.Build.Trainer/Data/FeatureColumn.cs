using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// A typed feature. Floats and bools are stored as <c>float</c> (bool as 0/1, missing as NaN);
/// categories as strings (missing as null).
/// </summary>
public sealed class FeatureColumn(string name, ColumnKind kind, float[]? numbers, string?[]? categories)
{
    public string Name { get; } = name;
    public ColumnKind Kind { get; } = kind;
    public float[]? Numbers { get; } = numbers;
    public string?[]? Categories { get; } = categories;

    public bool IsNumeric => Numbers is not null;

    public int Count => Numbers?.Length ?? Categories!.Length;

    public FeatureColumn Select(int[] rows) =>
        new(Name, Kind, Numbers is null ? null : rows.Select(r => Numbers[r]).ToArray(), Categories is null ? null : rows.Select(r => Categories[r]).ToArray());
}

/// <summary>Label values as ML.NET wants them for the task: string classes, bool, or float.</summary>
public sealed class LabelColumn(string name, string?[]? classes, bool[]? flags, float[]? values)
{
    public string Name { get; } = name;
    public string?[]? Classes { get; } = classes;
    public bool[]? Flags { get; } = flags;
    public float[]? Values { get; } = values;

    public LabelColumn Select(int[] rows) => new(Name,
        Classes is null ? null : rows.Select(r => Classes[r]).ToArray(),
        Flags is null ? null : rows.Select(r => Flags[r]).ToArray(),
        Values is null ? null : rows.Select(r => Values[r]).ToArray());
}

public sealed class TrainingTable(string path, IReadOnlyList<FeatureColumn> features, LabelColumn label, int rowCount)
{
    public string Path { get; } = path;
    public IReadOnlyList<FeatureColumn> Features { get; } = features;
    public LabelColumn Label { get; } = label;
    public int RowCount { get; } = rowCount;

    public TrainingTable Select(int[] rows) => new(Path, Features.Select(f => f.Select(rows)).ToArray(), Label.Select(rows), rows.Length);
}

using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// A typed feature. Floats and bools are stored as <c>float</c> (bool as 0/1, missing as NaN); categories
/// dictionary-encoded (missing as −1).
/// </summary>
public sealed class FeatureColumn(string name, ColumnKind kind, float[]? numbers, CategoryColumn? categories)
{
    public string Name { get; } = name;
    public ColumnKind Kind { get; } = kind;
    public float[]? Numbers { get; } = numbers;
    public CategoryColumn? Categories { get; } = categories;

    public bool IsNumeric => Numbers is not null;

    public int Count => Numbers?.Length ?? Categories!.Count;

    public FeatureColumn Select(int[] rows) =>
        new(Name, Kind, Numbers is null ? null : Pick(Numbers, rows), Categories?.Select(rows));

    internal static T[] Pick<T>(T[] values, int[] rows)
    {
        var picked = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            picked[i] = values[rows[i]];
        }
        return picked;
    }
}

/// <summary>Label values as ML.NET wants them for the task: classes (multiclass), flags (binary) or floats (regression).</summary>
public sealed class LabelColumn(string name, CategoryColumn? classes, bool[]? flags, float[]? values)
{
    public string Name { get; } = name;
    public CategoryColumn? Classes { get; } = classes;
    public bool[]? Flags { get; } = flags;
    public float[]? Values { get; } = values;

    public LabelColumn Select(int[] rows) => new(Name,
        Classes?.Select(rows),
        Flags is null ? null : FeatureColumn.Pick(Flags, rows),
        Values is null ? null : FeatureColumn.Pick(Values, rows));
}

public sealed class TrainingTable(string path, IReadOnlyList<FeatureColumn> features, LabelColumn label, int rowCount)
{
    public string Path { get; } = path;
    public IReadOnlyList<FeatureColumn> Features { get; } = features;
    public LabelColumn Label { get; } = label;
    public int RowCount { get; } = rowCount;

    public TrainingTable Select(int[] rows) => new(Path, Features.Select(f => f.Select(rows)).ToArray(), Label.Select(rows), rows.Length);

    /// <summary>The same rows with one feature replaced (a permuted copy, for importance).</summary>
    public TrainingTable With(int feature, FeatureColumn column) =>
        new(Path, Features.Select((f, i) => i == feature ? column : f).ToArray(), Label, RowCount);
}

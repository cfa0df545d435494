using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// A typed feature. Floats and bools are stored as <c>float</c> (bool as 0/1, missing as NaN); categories, text and
/// dates dictionary-encoded as their cells' text (missing as −1), a date parsed by <see cref="Settings"/>' format.
/// </summary>
public sealed class FeatureColumn(string name, ColumnKind kind, float[]? numbers, CategoryColumn? categories)
{
    public string Name { get; } = name;
    public ColumnKind Kind { get; } = kind;
    public float[]? Numbers { get; } = numbers;
    public CategoryColumn? Categories { get; } = categories;

    /// <summary>The manifest's settings for the column (date format, text featurization, missing values).</summary>
    public ColumnOverride? Settings { get; init; }

    /// <summary>Lower-casing and missing-value replacement applied before the model sees a value.</summary>
    public FeaturePreprocessing Preprocessing { get; init; } = FeaturePreprocessing.None;

    public bool IsNumeric => Numbers is not null;

    public int Count => Numbers?.Length ?? Categories!.Count;

    public FeatureColumn Select(int[] rows) => WithValues(Numbers is null ? null : Pick(Numbers, rows), Categories?.Select(rows));

    /// <summary>The same column (name, kind, settings) over other values.</summary>
    public FeatureColumn WithValues(float[]? numbers, CategoryColumn? categories) => new(Name, Kind, numbers, categories) { Settings = Settings, Preprocessing = Preprocessing };

    /// <summary>A date column's parts (<c>MLOps.Shared.DateParts</c>) per distinct value; NaN parts for a missing cell.</summary>
    public float[][] DatePartsByCode()
    {
        var count = MLOps.Shared.DateParts.Count(Kind == ColumnKind.DateTime);
        return Categories!.Values.Select(value =>
        {
            var parts = new float[count];
            var readable = DateCells.TryParse(value.AsSpan(), Settings?.Format, out var date);
            for (var i = 0; i < count; i++)
            {
                parts[i] = readable ? MLOps.Shared.DateParts.Part(date, i) : float.NaN;
            }
            return parts;
        }).ToArray();
    }

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
    /// <summary>What the manifest's row filters dropped from the file; null when it has none.</summary>
    public RowFilterCounts? Filtered { get; init; }

    public string Path { get; } = path;
    public IReadOnlyList<FeatureColumn> Features { get; } = features;
    public LabelColumn Label { get; } = label;
    public int RowCount { get; } = rowCount;

    public TrainingTable Select(int[] rows) => new(Path, Features.Select(f => f.Select(rows)).ToArray(), Label.Select(rows), rows.Length) { Filtered = Filtered };

    /// <summary>The same rows with each feature's preprocessing set.</summary>
    public TrainingTable WithPreprocessing(IReadOnlyList<FeaturePreprocessing> preprocessing) =>
        new(Path, Features.Select((f, i) => new FeatureColumn(f.Name, f.Kind, f.Numbers, f.Categories) { Settings = f.Settings, Preprocessing = preprocessing[i] }).ToArray(), Label, RowCount) { Filtered = Filtered };

    /// <summary>The same rows with one feature replaced (a permuted copy, for importance).</summary>
    public TrainingTable With(int feature, FeatureColumn column) =>
        new(Path, Features.Select((f, i) => i == feature ? column : f).ToArray(), Label, RowCount) { Filtered = Filtered };
}

/// <summary>Rows a file had, and how many each row filter dropped (a row is counted under the first filter that drops it).</summary>
public sealed record RowFilterCounts(long RowsRead, long MissingLabel, IReadOnlyDictionary<string, long> OutOfRange)
{
    public long Dropped => MissingLabel + OutOfRange.Values.Sum();
}

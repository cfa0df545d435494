using MLOps.Build.Diagnostics;

namespace MLOps.Build.Trainer.Data;

/// <summary>How a requested column's cells are stored.</summary>
public enum CellType
{
    /// <summary>A float; missing is NaN.</summary>
    Number,
    /// <summary>1 or 0 (<see cref="CellParser.TryParseBool"/>); missing is NaN.</summary>
    Boolean,
    /// <summary>Dictionary-encoded text (<see cref="CategoryColumn"/>); missing is −1.</summary>
    Text,
    /// <summary>Dictionary-encoded text that reads as a date (<see cref="DateCells"/>); missing is −1.</summary>
    Date,
}

/// <summary>One column a reader should return, and how it reports cells it cannot use.</summary>
/// <param name="TypeName">The column's type as the manifest names it, for messages ("float", "bool").</param>
public sealed record ColumnRequest(string Name, CellType Type, string TypeName)
{
    /// <summary>When set, a missing cell is this error (the label must have a value in every row).</summary>
    public DiagnosticCode? MissingCode { get; init; }

    public string? MissingMessage { get; init; }

    /// <summary>How a <see cref="CellType.Date"/> cell is written; null: ISO-8601.</summary>
    public string? DateFormat { get; init; }

    /// <summary>Whether the column is stored dictionary-encoded.</summary>
    public bool IsEncoded => Type is CellType.Text or CellType.Date;

    /// <summary>The message for a cell that does not read as <see cref="Type"/>; null: the generic one.</summary>
    public Func<string, string>? UnreadableMessage { get; init; }
}

/// <summary>A requested column as read: numbers or categories.</summary>
public sealed record ColumnValues(float[]? Numbers, CategoryColumn? Categories)
{
    public int Count => Numbers?.Length ?? Categories!.Count;
}

/// <summary>What the first pass over a file found: headers, rows, and a profile of each column for type inference.</summary>
public sealed class DataScan(string displayPath, IReadOnlyList<string> headers, IReadOnlyList<ColumnProfile> profiles, int rowCount)
{
    public string DisplayPath { get; } = displayPath;
    public IReadOnlyList<string> Headers { get; } = headers;
    public IReadOnlyList<ColumnProfile> Profiles { get; } = profiles;
    public int RowCount { get; } = rowCount;

    /// <summary>Columns a format decodes in the scan anyway (Parquet), kept for the read that follows.</summary>
    internal object? Decoded { get; init; }

    public int IndexOf(string header)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (Headers[i] == header)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>The requested columns of a file, in request order; a column the file does not have is null.</summary>
public sealed class TypedColumns(string displayPath, IReadOnlyList<string> headers, int rowCount, ColumnValues?[] columns)
{
    public string DisplayPath { get; } = displayPath;
    public IReadOnlyList<string> Headers { get; } = headers;
    public int RowCount { get; } = rowCount;
    public IReadOnlyList<ColumnValues?> Columns { get; } = columns;
}

namespace MLOps.Build.Trainer.Data;

/// <summary>A data file as text cells, column by column, with the line each row starts on.</summary>
public sealed class RawTable(string path, IReadOnlyList<string> headers, string?[][] columns, int[] lines)
{
    public string Path { get; } = path;
    public IReadOnlyList<string> Headers { get; } = headers;

    /// <summary><c>Columns[c][r]</c>; null is a missing value.</summary>
    public string?[][] Columns { get; } = columns;

    /// <summary>1-based line of each row, for diagnostics; 0 when the format has no lines (Parquet).</summary>
    public int[] Lines { get; } = lines;

    public int RowCount => Lines.Length;

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

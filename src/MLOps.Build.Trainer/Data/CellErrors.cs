using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Reports cells a reader cannot use at file(line,col), the first <see cref="Listed"/> per column, then one line with
/// the column's total. Formats without lines (Parquet) name the row instead.
/// </summary>
internal sealed class CellErrors(string fullPath, string displayPath, DiagnosticBag diagnostics)
{
    public const int Listed = 5;
    private readonly Dictionary<string, (int Count, ColumnRequest Column)> _unreadable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _missing = new(StringComparer.Ordinal);

    public bool Any => _unreadable.Count > 0 || _missing.Count > 0;

    /// <param name="line">1-based physical line of the row; 0 when the format has none.</param>
    /// <param name="field">0-based field of the cell in its row.</param>
    public void Unreadable(ColumnRequest column, string cell, int row, int line, int field)
    {
        var count = _unreadable.GetValueOrDefault(column.Name).Count + 1;
        _unreadable[column.Name] = (count, column);
        if (count <= Listed)
        {
            var message = column.UnreadableMessage?.Invoke(cell)
                ?? $"'{TextLimits.Quoted(cell)}' in column '{column.Name}' is not a {(column.Type == CellType.Boolean ? "boolean" : "number")}; the column is typed '{column.TypeName}'.";
            Report(D.UnparsableValue, message, row, line, field);
        }
    }

    public void Missing(ColumnRequest column, int row, int line, int field)
    {
        var count = _missing[column.Name] = _missing.GetValueOrDefault(column.Name) + 1;
        if (count <= Listed)
        {
            Report(column.MissingCode!, column.MissingMessage!, row, line, field);
        }
    }

    /// <summary>The totals of columns with more errors than were listed.</summary>
    public void Summarize()
    {
        foreach (var (count, column) in _unreadable.Values.Where(e => e.Count > Listed))
        {
            diagnostics.Add(D.UnparsableValue, FileLocation.File(displayPath),
                $"{count.ToString(CultureInfo.InvariantCulture)} cells of column '{column.Name}' cannot be read as '{column.TypeName}'; the first {Listed} are listed. Declare the column as \"category\" in 'columns' if it is not numeric.");
        }
        foreach (var (column, count) in _missing.Where(e => e.Value > Listed))
        {
            diagnostics.Add(D.MissingLabel, FileLocation.File(displayPath),
                $"{count.ToString(CultureInfo.InvariantCulture)} rows have no value for '{column}'; the first {Listed} are listed. \"rows\": {{ \"missingLabel\": \"drop\" }} in the manifest leaves them out.");
        }
    }

    private void Report(DiagnosticCode code, string message, int row, int line, int field)
    {
        if (line > 0)
        {
            diagnostics.Add(code, new FileLocation(displayPath, line, DelimitedFileReader.ColumnOf(fullPath, line, field)), message);
        }
        else
        {
            diagnostics.Add(code, FileLocation.File(displayPath), $"Row {(row + 1).ToString(CultureInfo.InvariantCulture)}: {message}");
        }
    }
}

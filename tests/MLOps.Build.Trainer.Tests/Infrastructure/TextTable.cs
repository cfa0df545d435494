using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Tests.Infrastructure;

/// <summary>A data file read the way the trainer reads it (scan, then a typed read), every column as text.</summary>
public sealed record TextTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string?>> Columns, int RowCount)
{
    public static TextTable? Read(string path, DiagnosticBag diagnostics)
    {
        var scan = DataFileReader.Scan(path, path, FileLocation.File(path), diagnostics);
        if (scan is null)
        {
            return null;
        }
        var requests = scan.Headers.Select(h => new ColumnRequest(h, CellType.Text, "category")).ToArray();
        var columns = DataFileReader.Read(path, path, FileLocation.File(path), requests, diagnostics, scan);
        return columns is null ? null : new TextTable(columns.Headers, columns.Columns.Select(c => (IReadOnlyList<string?>)c!.Categories!).ToArray(), columns.RowCount);
    }
}

using MLOps.Build.Diagnostics;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>Delimited text or Parquet by extension: a scan for type inference, and a typed read of chosen columns.</summary>
public static class DataFileReader
{
    /// <param name="unprofiled">Columns whose type is known already (declared or excluded): not profiled, not decoded.</param>
    public static DataScan? Scan(string fullPath, string displayPath, FileLocation reference, DiagnosticBag diagnostics, IReadOnlySet<string>? unprofiled = null)
    {
        unprofiled ??= new HashSet<string>();
        var scan = Format(fullPath, reference, diagnostics) switch
        {
            ".parquet" => ParquetFileReader.Scan(fullPath, displayPath, diagnostics, unprofiled),
            null => null,
            _ => DelimitedFileReader.Scan(fullPath, displayPath, diagnostics, unprofiled),
        };
        return scan is not null && scan.RowCount == 0 ? Empty(displayPath, diagnostics) : scan;
    }

    /// <param name="scan">This file's scan, when one was made: saves a second decode of what it decoded.</param>
    public static TypedColumns? Read(string fullPath, string displayPath, FileLocation reference, IReadOnlyList<ColumnRequest> requests,
        DiagnosticBag diagnostics, DataScan? scan = null)
    {
        var columns = Format(fullPath, reference, diagnostics) switch
        {
            ".parquet" => ParquetFileReader.Read(fullPath, displayPath, requests, diagnostics, scan),
            null => null,
            _ => DelimitedFileReader.Read(fullPath, displayPath, requests, diagnostics, scan?.RowCount ?? 0),
        };
        return columns is not null && columns.RowCount == 0 ? Empty<TypedColumns>(displayPath, diagnostics) : columns;
    }

    private static string? Format(string fullPath, FileLocation reference, DiagnosticBag diagnostics)
    {
        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        if (extension is ".csv" or ".tsv" or ".tab" or ".txt" or ".parquet")
        {
            return extension;
        }
        diagnostics.Add(D.UnsupportedDataFormat, reference, $"Unsupported data file type '{extension}'; use .csv, .tsv or .parquet.");
        return null;
    }

    private static DataScan? Empty(string displayPath, DiagnosticBag diagnostics) => Empty<DataScan>(displayPath, diagnostics);

    private static T? Empty<T>(string displayPath, DiagnosticBag diagnostics)
        where T : class
    {
        diagnostics.Add(D.EmptyData, FileLocation.File(displayPath), $"'{displayPath}' has a header but no data rows.");
        return null;
    }
}

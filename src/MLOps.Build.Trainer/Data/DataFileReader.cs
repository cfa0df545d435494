using MLOps.Build.Diagnostics;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

public static class DataFileReader
{
    public static RawTable? Read(string fullPath, string displayPath, FileLocation reference, DiagnosticBag diagnostics)
    {
        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        var table = extension switch
        {
            ".csv" or ".tsv" or ".tab" or ".txt" => DelimitedFileReader.Read(fullPath, displayPath, diagnostics),
            ".parquet" => ParquetFileReader.Read(fullPath, displayPath, diagnostics),
            _ => Unsupported(extension, reference, diagnostics),
        };
        if (table is not null && table.RowCount == 0)
        {
            diagnostics.Add(D.EmptyData, FileLocation.File(displayPath), $"'{displayPath}' has a header but no data rows.");
            return null;
        }
        return table;
    }

    private static RawTable? Unsupported(string extension, FileLocation reference, DiagnosticBag diagnostics)
    {
        diagnostics.Add(D.UnsupportedDataFormat, reference, $"Unsupported data file type '{extension}'; use .csv, .tsv or .parquet.");
        return null;
    }
}

using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// A data entry read as one table: one file as <see cref="DataFileReader"/> reads it; the files of a set (a folder or
/// a glob, <see cref="DataFileSet"/>) one after the other in the set's order, each cell problem reported at its own
/// file. Every file of a set must have the same columns (in any order); types are inferred over all of them.
/// </summary>
public static class DataSetReader
{
    public static DataScan? Scan(DataFileSet set, string displayPath, FileLocation reference, DiagnosticBag diagnostics, IReadOnlySet<string>? unprofiled = null)
    {
        if (!set.IsSet)
        {
            return DataFileReader.Scan(set.Files[0], displayPath, reference, diagnostics, unprofiled);
        }
        if (PartitionColumns.Keys(set, reference, diagnostics) is null)
        {
            return null;
        }
        DataScan? first = null;
        var rows = 0;
        foreach (var file in set.Files)
        {
            var scan = DataFileReader.Scan(file, file, reference, diagnostics, unprofiled);
            if (scan is null || PartitionColumns.Extend(scan, set, file, reference, diagnostics) is not { } extended)
            {
                return null;
            }
            scan = extended;
            if (first is null)
            {
                first = scan;
            }
            else if (!SameColumns(first, scan, reference, diagnostics))
            {
                return null;
            }
            else
            {
                for (var c = 0; c < first.Headers.Count; c++)
                {
                    first.Profiles[c].Add(scan.Profiles[scan.IndexOf(first.Headers[c])]);
                }
            }
            rows += scan.RowCount;
        }
        return new DataScan(displayPath, first!.Headers, first.Profiles, rows);
    }

    /// <param name="scan">The entry's scan, when one was made: saves a second decode of a single Parquet file.</param>
    public static TypedColumns? Read(DataFileSet set, string displayPath, FileLocation reference, IReadOnlyList<ColumnRequest> requests,
        DiagnosticBag diagnostics, DataScan? scan = null)
    {
        if (!set.IsSet)
        {
            return DataFileReader.Read(set.Files[0], displayPath, reference, requests, diagnostics, scan);
        }
        if (PartitionColumns.Keys(set, reference, diagnostics) is not { } keys)
        {
            return null;
        }
        var fileRequests = keys.Count == 0 ? requests : requests.Where(r => !keys.Contains(r.Name, StringComparer.Ordinal)).ToArray();
        var parts = new List<TypedColumns>();
        foreach (var file in set.Files)
        {
            if (DataFileReader.Read(file, file, reference, fileRequests, diagnostics) is not { } read)
            {
                return null;
            }
            var part = keys.Count == 0 ? read : PartitionColumns.Complete(read, requests, keys, set, file, diagnostics);
            if (parts.Count > 0 && !SameColumns(parts[0].Headers, part.Headers, parts[0].DisplayPath, file, reference, diagnostics))
            {
                return null;
            }
            parts.Add(part);
        }
        var columns = new ColumnValues?[requests.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = parts[0].Columns[c] is null ? null : Concatenate(parts.Select(p => p.Columns[c]!).ToArray());
        }
        return new TypedColumns(displayPath, parts[0].Headers, parts.Sum(p => p.RowCount), columns);
    }

    private static ColumnValues Concatenate(IReadOnlyList<ColumnValues> parts)
    {
        if (parts[0].Numbers is not null)
        {
            return new ColumnValues(parts.SelectMany(p => p.Numbers!).ToArray(), null);
        }
        // Each file has its own dictionary: codes are renumbered into one, in order of first appearance.
        var builder = new CategoryBuilder(parts.Sum(p => p.Count));
        foreach (var part in parts)
        {
            foreach (var value in part.Categories!)
            {
                builder.Add(value);
            }
        }
        return new ColumnValues(null, builder.Build());
    }

    private static bool SameColumns(DataScan first, DataScan other, FileLocation reference, DiagnosticBag diagnostics) =>
        SameColumns(first.Headers, other.Headers, first.DisplayPath, other.DisplayPath, reference, diagnostics);

    private static bool SameColumns(IReadOnlyList<string> first, IReadOnlyList<string> other, string firstPath, string otherPath,
        FileLocation reference, DiagnosticBag diagnostics)
    {
        var missing = first.Except(other, StringComparer.Ordinal).ToArray();
        var extra = other.Except(first, StringComparer.Ordinal).ToArray();
        if (missing.Length == 0 && extra.Length == 0)
        {
            return true;
        }
        diagnostics.Add(D.SchemaMismatch, reference,
            $"'{otherPath}' does not have the columns of '{firstPath}', the set's first file: every file of a set has the same columns." +
            (missing.Length > 0 ? $" Missing: {string.Join(", ", missing.Take(10))}." : "") +
            (extra.Length > 0 ? $" Not in the first file: {string.Join(", ", extra.Take(10))}." : ""));
        return false;
    }
}

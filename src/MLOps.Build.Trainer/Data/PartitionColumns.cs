using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Hive partition keys as columns: the files of a set under <c>key=value</c> folders
/// (<c>events/year=2025/month=3/part-0.parquet</c>) get a column per key holding its value in every row, typed like any
/// cell (numbers, booleans, dates, categories), as DuckDB's and Spark's readers do.
/// </summary>
internal static class PartitionColumns
{
    /// <summary>The keys every file of the set has, in folder order; null (reported) when the files' keys differ.</summary>
    public static IReadOnlyList<string>? Keys(DataFileSet set, FileLocation reference, DiagnosticBag diagnostics)
    {
        if (!set.IsSet || set.Files.Count == 0)
        {
            return [];
        }
        var first = KeysOf(set, set.Files[0]);
        foreach (var file in set.Files.Skip(1))
        {
            var keys = KeysOf(set, file);
            if (!keys.SequenceEqual(first, StringComparer.Ordinal))
            {
                diagnostics.Add(D.SchemaMismatch, reference,
                    $"'{set.NameOf(file)}' is partitioned by {Describe(keys)}, the set's first file '{set.NameOf(set.Files[0])}' by {Describe(first)}: every file of a partitioned set has the same partition keys, in the same order.");
                return null;
            }
        }
        return first;
    }

    /// <summary>The scan of one file with its partition columns added; null (reported) when a key is also a column of the file.</summary>
    public static DataScan? Extend(DataScan scan, DataFileSet set, string file, FileLocation reference, DiagnosticBag diagnostics)
    {
        var partitions = set.PartitionsOf(file);
        if (partitions.Count == 0)
        {
            return scan;
        }
        if (partitions.FirstOrDefault(p => scan.IndexOf(p.Key) >= 0) is { Key: { } clash })
        {
            diagnostics.Add(D.DuplicateColumn, reference,
                $"'{set.NameOf(file)}' has a column '{clash}' and lies in a partition folder '{clash}=…'; rename the column or the folder.");
            return null;
        }
        var profiles = scan.Profiles.ToList();
        foreach (var partition in partitions)
        {
            var profile = new ColumnProfile();
            if (partition.Value is { } value && !MissingValues.IsMissing(value))
            {
                profile.ObserveRepeated(value, scan.RowCount);
            }
            profiles.Add(profile);
        }
        return new DataScan(scan.DisplayPath, [.. scan.Headers, .. partitions.Select(p => p.Key)], profiles, scan.RowCount);
    }

    /// <summary>
    /// One file's columns (read for the requests that are not partition keys) completed with its partition columns,
    /// in the order of <paramref name="requests"/>.
    /// </summary>
    public static TypedColumns Complete(TypedColumns part, IReadOnlyList<ColumnRequest> requests, IReadOnlyList<string> keys,
        DataFileSet set, string file, DiagnosticBag diagnostics)
    {
        var partitions = set.PartitionsOf(file).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var columns = new ColumnValues?[requests.Count];
        var fileColumn = 0;
        for (var c = 0; c < requests.Count; c++)
        {
            columns[c] = keys.Contains(requests[c].Name, StringComparer.Ordinal)
                ? Repeated(requests[c], partitions[requests[c].Name], part.RowCount, set.NameOf(file), diagnostics)
                : part.Columns[fileColumn++];
        }
        return new TypedColumns(part.DisplayPath, [.. part.Headers, .. keys], part.RowCount, columns);
    }

    private static ColumnValues Repeated(ColumnRequest request, string? value, int rows, string name, DiagnosticBag diagnostics)
    {
        var missing = value is null || MissingValues.IsMissing(value);
        if (request.IsEncoded)
        {
            return new ColumnValues(null, new CategoryColumn(Enumerable.Repeat(missing ? CategoryColumn.Missing : 0, rows).ToArray(), missing ? [] : [value!]));
        }
        var number = float.NaN;
        if (!missing && !(request.Type == CellType.Boolean ? CellParser.TryParseBool(value.AsSpan(), out number) : CellParser.TryParseFloat(value.AsSpan(), out number)))
        {
            diagnostics.Add(D.UnparsableValue, FileLocation.File(name),
                $"The partition folder '{request.Name}={value}' of '{name}' is not a {(request.Type == CellType.Boolean ? "boolean" : "number")}; the column is typed '{request.TypeName}'.");
            number = float.NaN;
        }
        return new ColumnValues(Enumerable.Repeat(number, rows).ToArray(), null);
    }

    private static IReadOnlyList<string> KeysOf(DataFileSet set, string file) => set.PartitionsOf(file).Select(p => p.Key).ToList();

    private static string Describe(IReadOnlyList<string> keys) => keys.Count == 0 ? "nothing" : string.Join(", ", keys.Select(k => $"'{k}'"));
}

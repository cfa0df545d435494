using MLOps.Build.IO;
using MLOps.Shared;
using Parquet;
using static MLOps.Shared.CaptureLayout;

namespace MLOps.Cli.Data;

/// <summary>
/// The labelled rows of a capture folder, as the running service wrote it (MLOps.Runtime's traffic capture): the
/// scored rows of <c>capture-*.parquet</c> at its top level joined by key with <c>outcomes/*.parquet</c>. A key keeps
/// its last scored row and its last outcome; rows without a key or without an outcome are counted, not added. Hidden
/// files (a file still being written) are never read.
/// </summary>
/// <param name="Columns">The captured columns (the model's inputs by their data names, then <c>mlops_</c> outputs).</param>
/// <param name="Rows">Each labelled row's values by <paramref name="Columns"/>, oldest first.</param>
/// <param name="Outcomes">Each labelled row's outcome: a class name, a bool or a number.</param>
public sealed record CapturedRows(
    IReadOnlyList<string> Columns,
    IReadOnlyList<object?[]> Rows,
    IReadOnlyList<object> Outcomes,
    int Captured,
    int WithoutKey,
    int WithoutOutcome,
    int Files,
    int OutcomeFiles)
{

    /// <exception cref="InvalidDataException">A file is not a captured file, or files disagree on their columns.</exception>
    public static async Task<CapturedRows> ReadAsync(string folder)
    {
        var captureFiles = Visible(folder, "*.parquet");
        var outcomeFiles = Visible(Path.Combine(folder, OutcomesFolder), "*.parquet");
        string[]? columns = null;
        var lastRowByKey = new Dictionary<string, (DateTime Time, object?[] Values)>(StringComparer.Ordinal);
        int captured = 0, withoutKey = 0;
        foreach (var file in captureFiles)
        {
            var (names, rows) = await ReadFileAsync(file);
            var time = Array.IndexOf(names, TimeColumn);
            var key = Array.IndexOf(names, KeyColumn);
            if (time < 0 || key < 0)
            {
                throw new InvalidDataException($"'{file}' is not a captured file: it has no {TimeColumn} and {KeyColumn} columns.");
            }
            var values = names.Where((_, i) => i != time && i != key).ToArray();
            if (columns is null)
            {
                columns = values;
            }
            else if (!columns.SequenceEqual(values, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"'{file}' has other columns than '{captureFiles[0]}' (captured from another model or version): {TextLimits.List(values)}.");
            }
            foreach (var row in rows)
            {
                captured++;
                if (row[key] is not string k)
                {
                    withoutKey++;
                    continue;
                }
                var at = (DateTime)row[time]!;
                if (!lastRowByKey.TryGetValue(k, out var seen) || seen.Time <= at)
                {
                    lastRowByKey[k] = (at, row.Where((_, i) => i != time && i != key).ToArray());
                }
            }
        }

        var outcomeByKey = new Dictionary<string, (DateTime Time, object Outcome)>(StringComparer.Ordinal);
        foreach (var file in outcomeFiles)
        {
            var (names, rows) = await ReadFileAsync(file);
            int time = Array.IndexOf(names, TimeColumn), key = Array.IndexOf(names, KeyColumn), outcome = Array.IndexOf(names, OutcomeColumn);
            if (time < 0 || key < 0 || outcome < 0)
            {
                throw new InvalidDataException($"'{file}' is not an outcomes file: it has no {TimeColumn}, {KeyColumn} and {OutcomeColumn} columns.");
            }
            foreach (var row in rows)
            {
                if (row[key] is string k && row[outcome] is { } value && (!outcomeByKey.TryGetValue(k, out var seen) || seen.Time <= (DateTime)row[time]!))
                {
                    outcomeByKey[k] = ((DateTime)row[time]!, value);
                }
            }
        }

        var labelled = lastRowByKey.Where(r => outcomeByKey.ContainsKey(r.Key))
            .OrderBy(r => r.Value.Time).ThenBy(r => r.Key, StringComparer.Ordinal).ToArray();
        return new CapturedRows(columns ?? [], labelled.Select(r => r.Value.Values).ToArray(), labelled.Select(r => outcomeByKey[r.Key].Outcome).ToArray(),
            captured, withoutKey, lastRowByKey.Count - labelled.Length, captureFiles.Length, outcomeFiles.Length);
    }

    private static string[] Visible(string folder, string pattern) => Directory.Exists(folder)
        ? Directory.GetFiles(folder, pattern).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>Every row of a flat Parquet file, boxed (null where missing).</summary>
    private static async Task<(string[] Names, List<object?[]> Rows)> ReadFileAsync(string path)
    {
        if (RegularFile.IsEmpty(path))
        {
            // A named pipe would wait for a writer; a service never leaves an empty capture file (it writes hidden, then renames).
            throw new InvalidDataException($"'{path}' is empty (0 bytes), or is not a regular file (a named pipe or a device, which is never opened).");
        }
        try
        {
            using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.GetDataFields();
            var rows = new List<object?[]>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var columns = new object?[fields.Length][];
                for (var f = 0; f < fields.Length; f++)
                {
                    columns[f] = await ParquetColumns.ReadAsync(group, fields[f]);
                }
                for (var r = 0; r < group.RowCount; r++)
                {
                    rows.Add(columns.Select(c => c[r]).ToArray());
                }
            }
            return (fields.Select(f => f.Name).ToArray(), rows);
        }
        catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' cannot be read as Parquet: {ex.Message}", ex);
        }
    }
}

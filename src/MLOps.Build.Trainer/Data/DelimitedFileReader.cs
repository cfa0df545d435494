using MLOps.Build.Diagnostics;
using nietras.SeparatedValues;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// CSV and TSV with a header row, through Sep: quoted fields, embedded separators and newlines. Read in two passes
/// when types are inferred: <see cref="Scan"/> profiles every column without keeping a cell, <see cref="Read"/> then
/// parses only the requested columns straight into typed storage (floats, dictionary-encoded text), so memory grows
/// with the data's binary size, not with its text.
/// </summary>
public static class DelimitedFileReader
{
    private delegate void RowHandler(SepReader.Row row, int rowIndex);

    public static DataScan? Scan(string path, string displayPath, DiagnosticBag diagnostics, IReadOnlySet<string> unprofiled)
    {
        ColumnProfile[] profiles = [];
        int[] profiled = [];
        var rows = 0;
        var headers = Walk(path, displayPath, diagnostics,
            h =>
            {
                profiles = h.Select(_ => new ColumnProfile()).ToArray();
                profiled = Enumerable.Range(0, h.Length).Where(c => !unprofiled.Contains(h[c])).ToArray();
            },
            (row, _) =>
            {
                foreach (var c in profiled)
                {
                    var cell = row[c].Span;
                    if (!MissingValues.IsMissing(cell))
                    {
                        profiles[c].Observe(cell.Trim());
                    }
                }
                rows++;
            });
        return headers is null ? null : new DataScan(displayPath, headers, profiles, rows);
    }

    /// <param name="expectedRows">Rows the file has, when a scan counted them: storage is allocated once.</param>
    public static TypedColumns? Read(string path, string displayPath, IReadOnlyList<ColumnRequest> requests, DiagnosticBag diagnostics, int expectedRows = 0)
    {
        var errors = new CellErrors(path, displayPath, diagnostics);
        var fields = new int[requests.Count];
        var numbers = new NumberBuilder?[requests.Count];
        var categories = new CategoryBuilder?[requests.Count];
        var rows = 0;
        var headers = Walk(path, displayPath, diagnostics,
            h =>
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    fields[i] = Array.IndexOf(h, requests[i].Name);
                    if (fields[i] >= 0 && requests[i].IsEncoded)
                    {
                        categories[i] = new CategoryBuilder(expectedRows);
                    }
                    else if (fields[i] >= 0)
                    {
                        numbers[i] = new NumberBuilder(expectedRows);
                    }
                }
            },
            (row, rowIndex) =>
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    if (fields[i] >= 0)
                    {
                        ReadCell(row, rowIndex, requests[i], fields[i], numbers[i], categories[i], errors);
                    }
                }
                rows++;
            });
        errors.Summarize();
        if (headers is null || errors.Any)
        {
            return null;
        }
        var columns = requests.Select((_, i) => fields[i] < 0 ? null : new ColumnValues(numbers[i]?.Build(), categories[i]?.Build())).ToArray();
        return new TypedColumns(displayPath, headers, rows, columns);
    }

    private static void ReadCell(SepReader.Row row, int rowIndex, ColumnRequest request, int field, NumberBuilder? numbers, CategoryBuilder? categories, CellErrors errors)
    {
        var cell = row[field].Span;
        if (MissingValues.IsMissing(cell))
        {
            if (request.MissingCode is not null)
            {
                errors.Missing(request, rowIndex, row.LineNumberFrom, field);
            }
            numbers?.Add(float.NaN);
            categories?.Add(null);
            return;
        }
        cell = cell.Trim();
        if (categories is not null)
        {
            if (request.Type == CellType.Date && !DateCells.TryParse(cell, request.DateFormat, out _))
            {
                errors.Unreadable(request, cell.ToString(), rowIndex, row.LineNumberFrom, field);
                categories.Add(null);
                return;
            }
            categories.Add(cell.ToString());
            return;
        }
        if (request.Type == CellType.Number ? CellParser.TryParseFloat(cell, out var value) : CellParser.TryParseBool(cell, out value))
        {
            numbers!.Add(value);
            return;
        }
        errors.Unreadable(request, cell.ToString(), rowIndex, row.LineNumberFrom, field);
        numbers!.Add(float.NaN);
    }

    /// <summary>
    /// Reads the header (checked for blank and duplicate names), then hands every well-formed row to
    /// <paramref name="onRow"/>. Rows with another number of fields are reported (the first five, then a count);
    /// a blank last line is not a row. Null after any problem.
    /// </summary>
    private static string[]? Walk(string path, string displayPath, DiagnosticBag diagnostics, Action<string[]> onHeader, RowHandler onRow)
    {
        var isTsv = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tab", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var reader = Sep.Reader(o => o with
            {
                Sep = isTsv ? new Sep('\t') : o.Sep,
                // The header is read as a row, so that duplicate or blank names get our diagnostic, not Sep's exception.
                HasHeader = false,
                Unescape = true,
                DisableColCountCheck = true,
            }).FromFile(path);

            string[]? headers = null;
            using var rows = reader.GetEnumerator();
            if (rows.MoveNext())
            {
                var header = rows.Current;
                headers = new string[header.ColCount];
                for (var i = 0; i < headers.Length; i++)
                {
                    headers[i] = header[i].ToString().Trim();
                }
            }
            if (headers is null || headers.All(h => h.Length == 0))
            {
                diagnostics.Add(D.EmptyData, new FileLocation(displayPath, 1, 1), $"'{displayPath}' is empty: it needs a header row and data rows.");
                return null;
            }
            var duplicate = headers.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                diagnostics.Add(D.DuplicateColumn, new FileLocation(displayPath, 1, 1),
                    duplicate.Key.Length == 0
                        ? $"Header has {duplicate.Count()} columns without a name; name every column."
                        : $"Header names column '{duplicate.Key}' {duplicate.Count()} times; each column needs its own name.");
                return null;
            }

            onHeader(headers);
            var ragged = 0;
            var rowIndex = 0;
            while (rows.MoveNext())
            {
                var row = rows.Current;
                if (row.ColCount != headers.Length)
                {
                    // A blank line at the end of a file is not a row.
                    if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
                    {
                        continue;
                    }
                    if (++ragged <= 5)
                    {
                        diagnostics.Add(D.RaggedRow, new FileLocation(displayPath, row.LineNumberFrom, 1),
                            $"Row has {row.ColCount} fields but the header has {headers.Length}; check for an unquoted '{(isTsv ? "\\t" : ",")}' or a missing value.");
                    }
                    continue;
                }
                if (ragged == 0)
                {
                    onRow(row, rowIndex++);
                }
            }
            if (ragged > 5)
            {
                diagnostics.Add(D.RaggedRow, FileLocation.File(displayPath), $"{ragged} rows in all have the wrong number of fields; the first 5 are listed.");
            }
            return ragged > 0 ? null : headers;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            diagnostics.Add(D.UnreadableData, FileLocation.File(displayPath), $"Cannot read '{displayPath}': {ex.Message}");
            return null;
        }
    }

    /// <summary>1-based character column where field <paramref name="field"/> starts on a physical line (quotes respected).</summary>
    public static int ColumnOf(string path, int line, int field)
    {
        try
        {
            var text = File.ReadLines(path).Skip(line - 1).FirstOrDefault();
            if (text is null)
            {
                return 1;
            }
            var separator = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : DetectSeparator(File.ReadLines(path).First());
            var quoted = false;
            var current = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (current == field)
                {
                    return i + 1;
                }
                if (text[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (text[i] == separator && !quoted)
                {
                    current++;
                }
            }
            return current == field ? text.Length + 1 : 1;
        }
        catch (IOException)
        {
            return 1;
        }
    }

    private static char DetectSeparator(string header)
    {
        foreach (var candidate in new[] { ';', '\t', '|' })
        {
            if (header.Contains(candidate) && !header.Contains(','))
            {
                return candidate;
            }
        }
        return ',';
    }
}

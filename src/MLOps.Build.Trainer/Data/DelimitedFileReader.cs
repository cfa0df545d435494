using MLOps.Build.Diagnostics;
using nietras.SeparatedValues;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>CSV and TSV with a header row, through Sep: quoted fields, embedded separators and newlines.</summary>
public static class DelimitedFileReader
{
    public static RawTable? Read(string path, string displayPath, DiagnosticBag diagnostics)
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

            var columns = headers.Select(_ => new List<string?>()).ToArray();
            var lines = new List<int>();
            var ragged = 0;
            while (rows.MoveNext())
            {
                var row = rows.Current;
                var line = row.LineNumberFrom;
                if (row.ColCount != headers.Length)
                {
                    // A blank line at the end of a file is not a row.
                    if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
                    {
                        continue;
                    }
                    if (++ragged <= 5)
                    {
                        diagnostics.Add(D.RaggedRow, new FileLocation(displayPath, line, 1),
                            $"Row has {row.ColCount} fields but the header has {headers.Length}; check for an unquoted '{(isTsv ? "\\t" : ",")}' or a missing value.");
                    }
                    continue;
                }
                for (var c = 0; c < headers.Length; c++)
                {
                    var text = row[c].ToString();
                    columns[c].Add(MissingValues.IsMissing(text) ? null : text.Trim());
                }
                lines.Add(line);
            }
            if (ragged > 5)
            {
                diagnostics.Add(D.RaggedRow, FileLocation.File(displayPath), $"{ragged} rows in all have the wrong number of fields; the first 5 are listed.");
            }
            if (ragged > 0)
            {
                return null;
            }
            return new RawTable(displayPath, headers, columns.Select(c => c.ToArray()).ToArray(), [.. lines]);
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

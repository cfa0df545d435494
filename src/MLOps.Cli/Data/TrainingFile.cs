using System.Globalization;
using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;

namespace MLOps.Cli.Data;

/// <summary>
/// A file of a training set as <c>data add</c> sees it: the header to copy (every file of a set has the same columns,
/// MLOPS1039), and a new file written in the same format (CSV or TSV through Sep, or Parquet) under a hidden name,
/// then renamed, so that a build never reads it half-written.
/// </summary>
public static class TrainingFile
{
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static bool IsTsv(string path) =>
        path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tab", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file's column names, in order.</summary>
    public static async Task<string[]> HeaderAsync(string path)
    {
        if (IsParquet(path))
        {
            using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            return reader.Schema.GetDataFields().Select(f => f.Name).ToArray();
        }
        using var delimited = Open(path);
        return delimited.Header.ColNames.ToArray();
    }

    /// <summary>A value of <paramref name="column"/> other than <paramref name="except"/> (compared ignoring case), or null when every row has it.</summary>
    public static async Task<string?> OtherValueAsync(string path, string column, string except)
    {
        if (IsParquet(path))
        {
            using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var field = reader.Schema.GetDataFields().First(f => f.Name == column);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                foreach (var value in await ParquetColumns.ReadAsync(group, field))
                {
                    if (Cell(value) is { Length: > 0 } text && !text.Equals(except, StringComparison.OrdinalIgnoreCase))
                    {
                        return text;
                    }
                }
            }
            return null;
        }
        using var delimited = Open(path);
        var index = delimited.Header.IndexOf(column);
        foreach (var row in delimited)
        {
            var text = row[index].ToString();
            if (text.Length > 0 && !text.Equals(except, StringComparison.OrdinalIgnoreCase))
            {
                return text;
            }
        }
        return null;
    }

    /// <summary>Writes a new file (never replacing one) in the format its name says.</summary>
    /// <param name="rows">Each row's cells by <paramref name="header"/>: a string, float, double, bool or null (missing).</param>
    public static async Task WriteAsync(string path, IReadOnlyList<string> header, IReadOnlyList<object?[]> rows)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            if (IsParquet(path))
            {
                await WriteParquetAsync(temporary, header, rows);
            }
            else
            {
                WriteDelimited(temporary, header, rows, IsTsv(path) ? '\t' : ',');
            }
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteDelimited(string path, IReadOnlyList<string> header, IReadOnlyList<object?[]> rows, char separator)
    {
        // Escape: a cell holding the separator, a quote or a line break is quoted, its quotes doubled (RFC 4180), as Sep reads it back.
        using (var writer = Sep.New(separator).Writer(o => o with { Escape = true }).ToFile(path))
        {
            writer.Header.Add(header.ToArray());
            foreach (var cells in rows)
            {
                using var row = writer.NewRow();
                for (var c = 0; c < header.Count; c++)
                {
                    row[header[c]].Set(Cell(cells[c]));
                }
            }
        }
    }

    private static async Task WriteParquetAsync(string path, IReadOnlyList<string> header, IReadOnlyList<object?[]> rows)
    {
        var fields = header.Select((name, c) => Field(name, rows.Select(r => r[c]).FirstOrDefault(v => v is not null))).ToArray();
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            var index = c;
            if (fields[c].ClrType == typeof(float))
            {
                await group.WriteAsync<float>(fields[c], rows.Select(r => (float?)r[index]).ToArray());
            }
            else if (fields[c].ClrType == typeof(double))
            {
                await group.WriteAsync<double>(fields[c], rows.Select(r => (double?)r[index]).ToArray());
            }
            else if (fields[c].ClrType == typeof(bool))
            {
                await group.WriteAsync<bool>(fields[c], rows.Select(r => (bool?)r[index]).ToArray());
            }
            else
            {
                await group.WriteAsync(fields[c], rows.Select(r => r[index] is null ? null : Cell(r[index])).ToArray());
            }
        }
    }

    private static DataField Field(string name, object? sample) => sample switch
    {
        float => new DataField<float?>(name),
        double => new DataField<double?>(name),
        bool => new DataField<bool?>(name),
        _ => new DataField<string>(name, nullable: true),
    };

    /// <summary>A cell's text: numbers round-trip in the invariant culture, booleans are true/false, missing is empty.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        float f => float.IsNaN(f) ? "" : f.ToString("R", CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static SepReader Open(string path) => Sep.Reader(o => o with
    {
        Sep = IsTsv(path) ? new Sep('\t') : o.Sep,
        Unescape = true,
        DisableColCountCheck = true,
    }).FromFile(path);
}

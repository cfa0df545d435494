using System.Globalization;
using MLOps.Build.Diagnostics;
using Parquet;
using Parquet.Schema;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>Parquet through Parquet.Net, as text cells so that typing and diagnostics are one path for every format.</summary>
public static class ParquetFileReader
{
    public static RawTable? Read(string path, string displayPath, DiagnosticBag diagnostics)
    {
        try
        {
            return ReadAsync(path, displayPath).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or Parquet.ParquetException)
        {
            diagnostics.Add(D.UnreadableData, FileLocation.File(displayPath), $"Cannot read Parquet file '{displayPath}': {ex.Message}");
            return null;
        }
    }

    private static async Task<RawTable> ReadAsync(string path, string displayPath)
    {
        using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var nested = fields.FirstOrDefault(f => f.IsArray || f.MaxRepetitionLevel > 0);
        if (nested is not null)
        {
            throw new NotSupportedException($"column '{nested.Name}' is a list; only flat columns are supported");
        }
        var columns = fields.Select(_ => new List<string?>()).ToArray();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            for (var f = 0; f < fields.Length; f++)
            {
                columns[f].AddRange(await ReadColumnAsync(group, fields[f], rows));
            }
        }
        var rowCount = columns.Length == 0 ? 0 : columns[0].Count;
        return new RawTable(displayPath, fields.Select(f => f.Name).ToArray(), columns.Select(c => c.ToArray()).ToArray(), new int[rowCount]);
    }

    private static async Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[rows];
            await group.ReadAsync(field, text.AsMemory(), null);
            return text.Select(t => Format(t)).ToArray();
        }
        return type switch
        {
            _ when type == typeof(double) => await ReadStructAsync<double>(group, field, rows),
            _ when type == typeof(float) => await ReadStructAsync<float>(group, field, rows),
            _ when type == typeof(long) => await ReadStructAsync<long>(group, field, rows),
            _ when type == typeof(int) => await ReadStructAsync<int>(group, field, rows),
            _ when type == typeof(short) => await ReadStructAsync<short>(group, field, rows),
            _ when type == typeof(byte) => await ReadStructAsync<byte>(group, field, rows),
            _ when type == typeof(sbyte) => await ReadStructAsync<sbyte>(group, field, rows),
            _ when type == typeof(ulong) => await ReadStructAsync<ulong>(group, field, rows),
            _ when type == typeof(uint) => await ReadStructAsync<uint>(group, field, rows),
            _ when type == typeof(ushort) => await ReadStructAsync<ushort>(group, field, rows),
            _ when type == typeof(decimal) => await ReadStructAsync<decimal>(group, field, rows),
            _ when type == typeof(bool) => await ReadStructAsync<bool>(group, field, rows),
            _ when type == typeof(DateTime) => await ReadStructAsync<DateTime>(group, field, rows),
            _ when type == typeof(DateTimeOffset) => await ReadStructAsync<DateTimeOffset>(group, field, rows),
            _ => throw new NotSupportedException($"column '{field.Name}' has type {type.Name}, which is not supported"),
        };
    }

    private static async Task<string?[]> ReadStructAsync<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync(field, values.AsMemory(), null);
            return values.Select(v => v.HasValue ? Format(v.Value) : null).ToArray();
        }
        var plain = new T[rows];
        await group.ReadAsync(field, plain.AsMemory(), null);
        return plain.Select(v => Format(v)).ToArray();
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => MissingValues.IsMissing(s) ? null : s,
        float f => float.IsNaN(f) ? null : f.ToString("R", CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("o", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

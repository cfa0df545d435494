using Parquet;
using Parquet.Schema;

namespace MLOps.Cli.Data;

/// <summary>Parquet.Net 6's typed column reads and writes, boxed for <c>data add</c> (a flat file, a value or null per cell).</summary>
internal static class ParquetColumns
{
    /// <summary>One row group's column, a value or null per row.</summary>
    public static async Task<object?[]> ReadAsync(ParquetRowGroupReader group, DataField field)
    {
        var rows = checked((int)group.RowCount);
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[rows];
            await group.ReadAsync(field, text.AsMemory(), null);
            return text;
        }
        return type switch
        {
            _ when type == typeof(float) => await StructsAsync<float>(group, field, rows),
            _ when type == typeof(double) => await StructsAsync<double>(group, field, rows),
            _ when type == typeof(int) => await StructsAsync<int>(group, field, rows),
            _ when type == typeof(long) => await StructsAsync<long>(group, field, rows),
            _ when type == typeof(bool) => await StructsAsync<bool>(group, field, rows),
            _ when type == typeof(DateTime) => await StructsAsync<DateTime>(group, field, rows),
            _ => throw new InvalidDataException($"column '{field.Name}' has type {type.Name}, which captured data does not use"),
        };
    }

    private static async Task<object?[]> StructsAsync<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync(field, nullable.AsMemory(), null);
            return nullable.Select(v => v.HasValue ? (object?)v.Value : null).ToArray();
        }
        var plain = new T[rows];
        await group.ReadAsync(field, plain.AsMemory(), null);
        return plain.Select(v => (object?)v).ToArray();
    }
}

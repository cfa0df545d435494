using System.Data.Common;
using Parquet;
using Parquet.Schema;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// One result column of a snapshot being written: a row group's worth of typed cells, read from the data reader with
/// the getter of the column's own type (no boxing per cell: millions of rows pass through here). A snapshot keeps the
/// few Parquet types every reader of the trainer handles: int64, double, string, boolean and timestamp.
/// </summary>
internal abstract class SnapshotColumn(string name)
{
    public string Name { get; } = name;

    public abstract DataField Field { get; }

    /// <summary>The snapshot column for an ADO.NET field type; null: a type a snapshot cannot hold (MLOPS1062).</summary>
    public static SnapshotColumn? For(string name, Type type, int capacity) => System.Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => new Values<bool>(name, capacity, (r, i) => r.GetBoolean(i)),
        TypeCode.SByte => new Values<long>(name, capacity, (r, i) => r.GetFieldValue<sbyte>(i)),
        TypeCode.Byte => new Values<long>(name, capacity, (r, i) => r.GetByte(i)),
        TypeCode.Int16 => new Values<long>(name, capacity, (r, i) => r.GetInt16(i)),
        TypeCode.UInt16 => new Values<long>(name, capacity, (r, i) => r.GetFieldValue<ushort>(i)),
        TypeCode.Int32 => new Values<long>(name, capacity, (r, i) => r.GetInt32(i)),
        TypeCode.UInt32 => new Values<long>(name, capacity, (r, i) => r.GetFieldValue<uint>(i)),
        TypeCode.Int64 => new Values<long>(name, capacity, (r, i) => r.GetInt64(i)),
        TypeCode.UInt64 => new Values<double>(name, capacity, (r, i) => r.GetFieldValue<ulong>(i)),
        TypeCode.Single => new Values<double>(name, capacity, (r, i) => r.GetFloat(i)),
        TypeCode.Double => new Values<double>(name, capacity, (r, i) => r.GetDouble(i)),
        TypeCode.Decimal => new Values<double>(name, capacity, (r, i) => (double)r.GetDecimal(i)),
        TypeCode.String => new Text(name, capacity, (r, i) => r.GetString(i)),
        TypeCode.Char => new Text(name, capacity, (r, i) => r.GetChar(i).ToString()),
        TypeCode.DateTime => new Values<DateTime>(name, capacity, (r, i) => r.GetDateTime(i)),
        _ when type == typeof(Guid) => new Text(name, capacity, (r, i) => r.GetGuid(i).ToString()),
        _ when type == typeof(DateOnly) => new Values<DateTime>(name, capacity, (r, i) => r.GetFieldValue<DateOnly>(i).ToDateTime(TimeOnly.MinValue)),
        _ when type == typeof(DateTimeOffset) => new Values<DateTime>(name, capacity, (r, i) => r.GetFieldValue<DateTimeOffset>(i).UtcDateTime),
        _ => null,
    };

    /// <summary>Reads the reader's current cell into row <paramref name="row"/> of the buffer.</summary>
    public abstract void Read(DbDataReader reader, int ordinal, int row);

    /// <summary>Writes the first <paramref name="rows"/> buffered cells as this column of a row group.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, int rows);

    private sealed class Values<T>(string name, int capacity, Func<DbDataReader, int, T> get) : SnapshotColumn(name)
        where T : struct
    {
        private readonly T?[] _cells = new T?[capacity];

        public override DataField Field { get; } = new DataField<T?>(name);

        public override void Read(DbDataReader reader, int ordinal, int row) =>
            _cells[row] = reader.IsDBNull(ordinal) ? null : get(reader, ordinal);

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync<T>(Field, _cells.AsMemory(0, rows));
    }

    private sealed class Text(string name, int capacity, Func<DbDataReader, int, string> get) : SnapshotColumn(name)
    {
        private readonly string?[] _cells = new string?[capacity];

        public override DataField Field { get; } = new DataField<string>(name, nullable: true);

        public override void Read(DbDataReader reader, int ordinal, int row) =>
            _cells[row] = reader.IsDBNull(ordinal) ? null : get(reader, ordinal);

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync(Field, new ArraySegment<string?>(_cells, 0, rows)!);
    }
}

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>How a query's column is kept in a snapshot: the few Parquet types every reader of the trainer handles.</summary>
internal enum SnapshotColumnType { Number, Integer, Text, Boolean, Timestamp }

internal static class SnapshotColumnTypes
{
    /// <summary>The snapshot type of an ADO.NET field type; null: a type a snapshot cannot hold (MLOPS1062).</summary>
    public static SnapshotColumnType? Of(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => SnapshotColumnType.Boolean,
        TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64
            => SnapshotColumnType.Integer,
        TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => SnapshotColumnType.Number,
        TypeCode.String or TypeCode.Char => SnapshotColumnType.Text,
        TypeCode.DateTime => SnapshotColumnType.Timestamp,
        _ when type == typeof(Guid) => SnapshotColumnType.Text,
        _ when type == typeof(DateOnly) || type == typeof(DateTimeOffset) => SnapshotColumnType.Timestamp,
        _ => null,
    };

    /// <summary>The cell as the snapshot keeps it (a boxed long, double, string, bool or UTC-less DateTime), or null.</summary>
    public static object? Convert(object? value, SnapshotColumnType type)
    {
        if (value is null or DBNull)
        {
            return null;
        }
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return type switch
        {
            SnapshotColumnType.Boolean => (bool)value,
            SnapshotColumnType.Integer => System.Convert.ToInt64(value, invariant),
            SnapshotColumnType.Number => System.Convert.ToDouble(value, invariant),
            SnapshotColumnType.Text => value is string text ? text : System.Convert.ToString(value, invariant),
            SnapshotColumnType.Timestamp => value switch
            {
                DateOnly date => date.ToDateTime(TimeOnly.MinValue),
                DateTimeOffset offset => offset.UtcDateTime,
                DateTime time => time,
                _ => System.Convert.ToDateTime(value, invariant),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}

using MLOps.Runtime.Monitoring;
using Parquet;
using Parquet.Schema;

namespace MLOps.Runtime.Hosting;

/// <summary>
/// Captured traffic as Parquet (Parquet.Net), the format the build reads data in: one row group, <c>mlops_time</c> as
/// a timestamp, <c>mlops_key</c> and string columns as nullable strings, numbers and booleans as nullable columns of
/// their type. The hosting section sets it as <see cref="ModelSessionOptions.CaptureFormat"/>.
/// </summary>
public sealed class ParquetCaptureFormat : CaptureFormat
{
    /// <summary>The one instance (it holds no state).</summary>
    public static ParquetCaptureFormat Instance { get; } = new();

    /// <inheritdoc/>
    public override string Extension => ".parquet";

    /// <inheritdoc/>
    public override async Task WriteAsync(Stream stream, IReadOnlyList<CaptureColumn> columns, IReadOnlyList<CapturedRow> rows)
    {
        var time = new DataField<DateTime>(CaptureColumn.Time);
        var key = new DataField<string>(CaptureColumn.Key, nullable: true);
        var fields = columns.Select(Field).ToArray();
        var schema = new ParquetSchema([time, key, .. fields]);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<DateTime>(time, rows.Select(r => r.Time).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(key, rows.Select(r => r.Key).ToArray()).ConfigureAwait(false);
        for (var c = 0; c < fields.Length; c++)
        {
            var index = c;
            switch (columns[c].Kind)
            {
                case TensorKind.Float:
                    await group.WriteAsync<float>(fields[c], rows.Select(r => (float?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
                case TensorKind.Double:
                    await group.WriteAsync<double>(fields[c], rows.Select(r => (double?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
                case TensorKind.Int32:
                    await group.WriteAsync<int>(fields[c], rows.Select(r => (int?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
                case TensorKind.Int64:
                    await group.WriteAsync<long>(fields[c], rows.Select(r => (long?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
                case TensorKind.Bool:
                    await group.WriteAsync<bool>(fields[c], rows.Select(r => (bool?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
                default:
                    await group.WriteAsync(fields[c], rows.Select(r => (string?)r.Values[index]).ToArray()).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static DataField Field(CaptureColumn column) => column.Kind switch
    {
        TensorKind.Float => new DataField<float?>(column.Name),
        TensorKind.Double => new DataField<double?>(column.Name),
        TensorKind.Int32 => new DataField<int?>(column.Name),
        TensorKind.Int64 => new DataField<long?>(column.Name),
        TensorKind.Bool => new DataField<bool?>(column.Name),
        _ => new DataField<string>(column.Name, nullable: true),
    };
}

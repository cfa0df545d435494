using Parquet;
using Parquet.Schema;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Writes a query's rows into a Parquet file, in row groups of <see cref="RowGroupRows"/>, so that a table of
/// millions of rows never sits in memory whole. The same rows in the same order give the same bytes (no time or
/// random value is written), which is what lets a snapshot be pinned by its SHA-256.
/// </summary>
internal sealed class SnapshotWriter : IAsyncDisposable
{
    public const int RowGroupRows = 100_000;

    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly SnapshotColumnType[] _types;
    private readonly object?[][] _buffer;
    private int _buffered;
    private bool _completed;

    private SnapshotWriter(Stream stream, ParquetWriter writer, DataField[] fields, SnapshotColumnType[] types)
    {
        _stream = stream;
        _writer = writer;
        _fields = fields;
        _types = types;
        _buffer = fields.Select(_ => new object?[RowGroupRows]).ToArray();
    }

    public long Rows { get; private set; }

    public static async Task<SnapshotWriter> CreateAsync(string path, IReadOnlyList<(string Name, SnapshotColumnType Type)> columns)
    {
        var fields = columns.Select(c => Field(c.Name, c.Type)).ToArray();
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            return new SnapshotWriter(stream, writer, fields, columns.Select(c => c.Type).ToArray());
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <param name="row">One value per column, converted by <see cref="SnapshotColumnTypes.Convert"/>.</param>
    public async Task AddAsync(object?[] row)
    {
        for (var c = 0; c < row.Length; c++)
        {
            _buffer[c][_buffered] = row[c];
        }
        _buffered++;
        Rows++;
        if (_buffered == RowGroupRows)
        {
            await FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        if (_buffered == 0)
        {
            return;
        }
        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < _fields.Length; c++)
        {
            var cells = _buffer[c].AsSpan(0, _buffered).ToArray();
            switch (_types[c])
            {
                case SnapshotColumnType.Integer:
                    await group.WriteAsync<long>(_fields[c], cells.Select(v => (long?)v).ToArray());
                    break;
                case SnapshotColumnType.Number:
                    await group.WriteAsync<double>(_fields[c], cells.Select(v => (double?)v).ToArray());
                    break;
                case SnapshotColumnType.Boolean:
                    await group.WriteAsync<bool>(_fields[c], cells.Select(v => (bool?)v).ToArray());
                    break;
                case SnapshotColumnType.Timestamp:
                    await group.WriteAsync<DateTime>(_fields[c], cells.Select(v => (DateTime?)v).ToArray());
                    break;
                default:
                    await group.WriteAsync(_fields[c], cells.Select(v => (string?)v).ToArray());
                    break;
            }
            Array.Clear(_buffer[c], 0, _buffered);
        }
        _buffered = 0;
    }

    /// <summary>Writes the last row group and the footer.</summary>
    public async Task CompleteAsync()
    {
        if (_buffered > 0 || Rows == 0)
        {
            await FlushAsync();
        }
        _completed = true;
        await _writer.DisposeAsync();
        await _stream.FlushAsync();
    }

    /// <summary>Closes the file; one not completed is left without a footer, for the caller to delete.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _completed = true;
            await _writer.DisposeAsync();
        }
        await _stream.DisposeAsync();
    }

    private static DataField Field(string name, SnapshotColumnType type) => type switch
    {
        SnapshotColumnType.Integer => new DataField<long?>(name),
        SnapshotColumnType.Number => new DataField<double?>(name),
        SnapshotColumnType.Boolean => new DataField<bool?>(name),
        SnapshotColumnType.Timestamp => new DataField<DateTime?>(name),
        _ => new DataField<string>(name, nullable: true),
    };
}

using System.Data.Common;
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
    private readonly IReadOnlyList<SnapshotColumn> _columns;
    private int _buffered;
    private bool _completed;

    private SnapshotWriter(Stream stream, ParquetWriter writer, IReadOnlyList<SnapshotColumn> columns)
    {
        _stream = stream;
        _writer = writer;
        _columns = columns;
    }

    public long Rows { get; private set; }

    /// <param name="columns">The result's columns, in the reader's order, each with room for <see cref="RowGroupRows"/> cells.</param>
    public static async Task<SnapshotWriter> CreateAsync(string path, IReadOnlyList<SnapshotColumn> columns)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream);
            return new SnapshotWriter(stream, writer, columns);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds the reader's current row.</summary>
    public async Task AddAsync(DbDataReader reader)
    {
        for (var c = 0; c < _columns.Count; c++)
        {
            _columns[c].Read(reader, c, _buffered);
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
        using var group = _writer.CreateRowGroup();
        foreach (var column in _columns)
        {
            await column.WriteAsync(group, _buffered);
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
}

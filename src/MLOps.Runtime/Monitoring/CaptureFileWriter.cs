using System.Globalization;
using System.Threading.Channels;
using Parquet;
using Parquet.Schema;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// The background half of <see cref="TrafficCapture"/>: collects queued rows into files of at most a number of rows
/// or an interval, each written as Parquet under a hidden temporary name (<c>.capture-….parquet.tmp</c>) and renamed
/// when complete. A file that cannot be written is counted with its rows, and the writer goes on with the next one.
/// </summary>
internal sealed class CaptureFileWriter(string directory, string modelName, CaptureColumns columns)
{
    private readonly List<string> _files = [];
    private readonly string _prefix = "capture-" + FileSafe(modelName) + "-";
    private long _written;
    private long _lost;
    private long _failures;
    private long _sequence;
    private string? _lastError;

    public long Written => Volatile.Read(ref _written);

    public long Lost => Volatile.Read(ref _lost);

    public long Failures => Volatile.Read(ref _failures);

    public string? LastError => Volatile.Read(ref _lastError);

    public IReadOnlyList<string> Files
    {
        get
        {
            lock (_files)
            {
                return [.. _files];
            }
        }
    }

    public async Task RunAsync(ChannelReader<CapturedRow> queue, int rowsPerFile, TimeSpan interval)
    {
        var rows = new List<CapturedRow>();
        var opened = DateTime.UtcNow;
        while (true)
        {
            bool open;
            using (var wait = new CancellationTokenSource(Remaining(opened, interval)))
            {
                try
                {
                    open = await queue.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    open = true;
                }
            }
            while (queue.TryRead(out var row))
            {
                rows.Add(row);
                if (rows.Count >= rowsPerFile)
                {
                    await WriteAsync(rows).ConfigureAwait(false);
                    opened = DateTime.UtcNow;
                }
            }
            if (!open || DateTime.UtcNow - opened >= interval)
            {
                await WriteAsync(rows).ConfigureAwait(false);
                opened = DateTime.UtcNow;
            }
            if (!open)
            {
                return;
            }
        }
    }

    private static TimeSpan Remaining(DateTime opened, TimeSpan interval)
    {
        var left = opened + interval - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Writes <paramref name="rows"/> (if any) to a new complete file and clears them.</summary>
    private async Task WriteAsync(List<CapturedRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var name = _prefix + rows[0].Time.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-"
            + Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture) + ".parquet";
        var path = Path.Combine(directory, name);
        var temporary = Path.Combine(directory, "." + name + ".tmp");
        try
        {
            Directory.CreateDirectory(directory);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await WriteParquetAsync(stream, rows).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path);
            Interlocked.Add(ref _written, rows.Count);
            lock (_files)
            {
                _files.Add(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ParquetException)
        {
            Interlocked.Add(ref _lost, rows.Count);
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _lastError, $"Cannot write captured file '{path}': {ex.Message}");
            TryDelete(temporary);
        }
        rows.Clear();
    }

    private async Task WriteParquetAsync(Stream stream, List<CapturedRow> rows)
    {
        var time = new DataField<DateTime>(CaptureColumns.Time);
        var key = new DataField<string>(CaptureColumns.Key, nullable: true);
        var fields = columns.Values.Select(Field).ToArray();
        var schema = new ParquetSchema([time, key, .. fields]);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<DateTime>(time, rows.Select(r => r.Time).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(key, rows.Select(r => r.Key).ToArray()).ConfigureAwait(false);
        for (var c = 0; c < fields.Length; c++)
        {
            var index = c;
            switch (columns.Values[c].Kind)
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

    private static DataField Field(CaptureColumns.Column column) => column.Kind switch
    {
        TensorKind.Float => new DataField<float?>(column.Name),
        TensorKind.Double => new DataField<double?>(column.Name),
        TensorKind.Int32 => new DataField<int?>(column.Name),
        TensorKind.Int64 => new DataField<long?>(column.Name),
        TensorKind.Bool => new DataField<bool?>(column.Name),
        _ => new DataField<string>(column.Name, nullable: true),
    };

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary name is hidden and never renamed: a reader does not take it for captured data.
        }
    }

    /// <summary>The model's name as a file name part: letters, digits, '-', '_' and '.' kept, others '_'.</summary>
    private static string FileSafe(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(64).ToArray());
}

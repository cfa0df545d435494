using System.Globalization;
using System.Threading.Channels;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// The background half of <see cref="TrafficCapture"/>: collects queued rows into files of at most a number of rows
/// or an interval, each written by the <see cref="CaptureFormat"/> under a hidden temporary name
/// (<c>.capture-….parquet.tmp</c>) and renamed when complete. A file that cannot be written (or that the format fails
/// on) is counted with its rows, and the writer goes on with the next one.
/// </summary>
/// <param name="directory">The folder the files go to (created when the first file is written).</param>
/// <param name="kind">The file name's first part: <c>capture</c> for scored rows, <c>outcomes</c> for outcomes.</param>
/// <param name="modelName">The file name's second part.</param>
/// <param name="columns">The value columns, as the format writes them.</param>
/// <param name="format">The file format.</param>
/// <param name="memory">What the queued rows took: released as their file is written (or lost); a file is written early once its rows take half of it.</param>
internal sealed class CaptureFileWriter(string directory, string kind, string modelName, IReadOnlyList<CaptureColumn> columns, CaptureFormat format, CaptureMemory memory)
{
    private readonly List<string> _files = [];
    private readonly string _prefix = kind + "-" + FileSafe(modelName) + "-";
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

    public async Task RunAsync(ChannelReader<QueuedRow> queue, int rowsPerFile, TimeSpan interval)
    {
        var rows = new List<CapturedRow>();
        var collected = 0L;
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
            while (queue.TryRead(out var queued))
            {
                rows.Add(queued.Row);
                collected += queued.Bytes;
                if (rows.Count >= rowsPerFile || collected >= memory.Limit / 2)
                {
                    await WriteAsync(rows).ConfigureAwait(false);
                    memory.Release(collected);
                    collected = 0;
                    opened = DateTime.UtcNow;
                }
            }
            if (!open || DateTime.UtcNow - opened >= interval)
            {
                await WriteAsync(rows).ConfigureAwait(false);
                memory.Release(collected);
                collected = 0;
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
            + Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture) + format.Extension;
        var path = Path.Combine(directory, name);
        var temporary = Path.Combine(directory, "." + name + ".tmp");
        try
        {
            Directory.CreateDirectory(directory);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await format.WriteAsync(stream, columns, rows).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path);
            Interlocked.Add(ref _written, rows.Count);
            lock (_files)
            {
                _files.Add(path);
            }
        }
        // Whatever the folder or the format throws costs this file, never the writer (the format is the app's choice).
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Add(ref _lost, rows.Count);
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _lastError, $"Cannot write captured file '{path}': {ex.Message}");
            TryDelete(temporary);
        }
        rows.Clear();
    }

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

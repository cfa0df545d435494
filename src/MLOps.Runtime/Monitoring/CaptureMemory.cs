namespace MLOps.Runtime.Monitoring;

/// <summary>
/// The memory captured rows hold between being scored and being written (queued, then collected for a file), counted
/// by what their values take, so that a few huge cells (a 30 MB text field) cannot hold gigabytes where a count of
/// rows bounds only how many there are: a row that would take it past the limit is dropped and counted.
/// </summary>
internal sealed class CaptureMemory(long limit)
{
    private long _held;

    public long Limit => limit;

    /// <summary>Takes <paramref name="bytes"/> if they fit under the limit; false (nothing taken) if not.</summary>
    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _held, bytes) <= limit)
        {
            return true;
        }
        Interlocked.Add(ref _held, -bytes);
        return false;
    }

    public void Release(long bytes) => Interlocked.Add(ref _held, -bytes);

    /// <summary>What <paramref name="row"/> takes, as the runtime holds it: its array of values, a boxed value each, a string its characters.</summary>
    public static long Of(CapturedRow row)
    {
        var bytes = ArrayOverhead + (long)IntPtr.Size * row.Values.Length + Text(row.Key);
        foreach (var value in row.Values)
        {
            bytes += value is string text ? Text(text) : BoxedValue;
        }
        return bytes;
    }

    private static long Text(string? text) => text is null ? 0 : StringOverhead + 2L * text.Length;

    private const long ArrayOverhead = 24;

    private const long StringOverhead = 22;

    private const long BoxedValue = 24;
}

/// <summary>A captured row in the writer's queue, with what it took of <see cref="CaptureMemory"/>: the writer gives back exactly that.</summary>
internal readonly record struct QueuedRow(CapturedRow Row, long Bytes);

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// One feature's counts over a <see cref="DriftWindow"/>: a ring of buckets, each the striped counts of one period.
/// A writer that finds its period's bucket still holding an older period takes it over (clears it under a lock; that
/// happens once per period). A writer still on an older period than its bucket's counts its value nowhere and is
/// counted as dropped, so no bucket ever mixes two periods by more than the values in flight when it turned over.
/// </summary>
internal sealed class WindowCounts
{
    private readonly Bucket[] _buckets;
    private readonly long _periodTicks;
    private readonly TimeProvider _time;
    private long _dropped;

    public WindowCounts(DriftWindow window, int slots, TimeProvider time)
    {
        Window = window;
        _time = time;
        _periodTicks = Math.Max(1, window.Length.Ticks / window.Buckets);
        _buckets = Enumerable.Range(0, window.Buckets).Select(_ => new Bucket(slots)).ToArray();
    }

    public DriftWindow Window { get; }

    /// <summary>Values that arrived for a period already gone.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The period now: every writer in one scoring call uses the same one.</summary>
    public long CurrentPeriod() => _time.GetUtcNow().UtcTicks / _periodTicks;

    public void Increment(long period, int stripe, int slot)
    {
        var bucket = _buckets[(int)(period % _buckets.Length)];
        var held = Volatile.Read(ref bucket.Period);
        if (held != period)
        {
            if (held > period || !bucket.TakeOver(period))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
        }
        bucket.Counts.Increment(stripe, slot);
    }

    /// <summary>Adds the counts of the periods inside the window now into <paramref name="totals"/>.</summary>
    public void AddTo(Span<long> totals)
    {
        var now = CurrentPeriod();
        foreach (var bucket in _buckets)
        {
            var period = Volatile.Read(ref bucket.Period);
            if (period > now - _buckets.Length && period <= now)
            {
                bucket.Counts.AddTo(totals);
            }
        }
    }

    private sealed class Bucket(int slots)
    {
        public readonly StripedCounts Counts = new(slots);
        public long Period = long.MinValue;
        private readonly object _gate = new();

        /// <summary>Clears the bucket for <paramref name="period"/> unless another writer did (false: the bucket moved past it).</summary>
        public bool TakeOver(long period)
        {
            lock (_gate)
            {
                var held = Volatile.Read(ref Period);
                if (held > period)
                {
                    return false;
                }
                if (held < period)
                {
                    Counts.Clear();
                    Volatile.Write(ref Period, period);
                }
                return true;
            }
        }
    }
}

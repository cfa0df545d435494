namespace MLOps.Runtime.Monitoring;

/// <summary>What a window keeps per period: cleared when its bucket is taken for a new period.</summary>
internal interface IWindowBucket
{
    void Clear();
}

/// <summary>
/// Figures over a <see cref="DriftWindow"/>: a ring of buckets, each holding one period's striped figures.
/// A writer that finds its period's bucket still holding an older period takes it over (clears it under a lock; that
/// happens once per period). A writer still on an older period than its bucket's counts its value nowhere and is
/// counted as dropped, so no bucket ever mixes two periods by more than the values in flight when it turned over.
/// </summary>
internal sealed class WindowCounts<TBucket>
    where TBucket : class, IWindowBucket
{
    private readonly Bucket[] _buckets;
    private readonly TimeProvider _time;
    private long _dropped;

    public WindowCounts(DriftWindow window, Func<TBucket> create, TimeProvider time)
    {
        Window = window;
        _time = time;
        _buckets = Enumerable.Range(0, window.Buckets).Select(_ => new Bucket(create())).ToArray();
    }

    public DriftWindow Window { get; }

    /// <summary>Values that arrived for a period already gone.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The period now: every writer in one scoring call uses the same one.</summary>
    public long CurrentPeriod() => Window.PeriodOf(_time.GetUtcNow().UtcTicks);

    /// <summary>The bucket of <paramref name="period"/> to write into, or null (counted as dropped) when it moved past it.</summary>
    public TBucket? For(long period)
    {
        var bucket = _buckets[(int)(period % _buckets.Length)];
        var held = Volatile.Read(ref bucket.Period);
        if (held != period && (held > period || !bucket.TakeOver(period)))
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }
        return bucket.Figures;
    }

    /// <summary>The buckets of the periods inside the window now.</summary>
    public IEnumerable<TBucket> Current()
    {
        var now = CurrentPeriod();
        foreach (var bucket in _buckets)
        {
            var period = Volatile.Read(ref bucket.Period);
            if (period > now - _buckets.Length && period <= now)
            {
                yield return bucket.Figures;
            }
        }
    }

    private sealed class Bucket(TBucket figures)
    {
        public readonly TBucket Figures = figures;
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
                    Figures.Clear();
                    Volatile.Write(ref Period, period);
                }
                return true;
            }
        }
    }
}

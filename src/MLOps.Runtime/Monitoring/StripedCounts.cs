namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Counters that many scoring threads increment at once without sharing a cache line: one stripe of all counters per
/// processor (<see cref="Stripes"/>), each padded to whole cache lines. Reads add the stripes up.
/// </summary>
internal sealed class StripedCounts : IWindowBucket
{
    private const int LongsPerCacheLine = Stripes.ValuesPerCacheLine;

    private readonly long[] _counts;
    private readonly int _stride;

    public StripedCounts(int slots)
    {
        Slots = slots;
        // Whole cache lines per stripe, and one spare line in front so that stripe 0 shares no line with the array header.
        _stride = Stripes.Stride(slots);
        _counts = new long[LongsPerCacheLine + _stride * Stripes.Count];
    }

    public int Slots { get; }

    public void Increment(int stripe, int slot) => Interlocked.Increment(ref _counts[LongsPerCacheLine + stripe * _stride + slot]);

    /// <summary>Adds every stripe's counts into <paramref name="totals"/> (one per slot).</summary>
    public void AddTo(Span<long> totals)
    {
        for (var stripe = 0; stripe < Stripes.Count; stripe++)
        {
            var start = LongsPerCacheLine + stripe * _stride;
            for (var slot = 0; slot < Slots; slot++)
            {
                totals[slot] += Volatile.Read(ref _counts[start + slot]);
            }
        }
    }

    /// <summary>Sets every counter to 0 (a window bucket taken for a new period).</summary>
    public void Clear()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Volatile.Write(ref _counts[i], 0);
        }
    }
}

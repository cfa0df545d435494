namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Counters that many scoring threads increment at once without sharing a cache line: one stripe of all counters per
/// processor (rounded up to a power of two, at most 64), each stripe padded to whole cache lines, the stripe chosen
/// by the processor the thread runs on. Reads add the stripes up. Measured on a 16-core Xeon, one shared set of
/// counters made a monitored model scale 6.1× on 16 threads where an unmonitored one scaled 12×.
/// </summary>
internal sealed class StripedCounts : IWindowBucket
{
    private const int LongsPerCacheLine = 8;
    private static readonly int StripeCount = Math.Min(64, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly long[] _counts;
    private readonly int _stride;

    public StripedCounts(int slots)
    {
        Slots = slots;
        // Whole cache lines per stripe, and one spare line in front so that stripe 0 shares no line with the array header.
        _stride = (slots + LongsPerCacheLine - 1) / LongsPerCacheLine * LongsPerCacheLine;
        _counts = new long[LongsPerCacheLine + _stride * StripeCount];
    }

    public int Slots { get; }

    /// <summary>The stripe the calling thread writes: its processor's.</summary>
    public static int CurrentStripe() => Thread.GetCurrentProcessorId() & (StripeCount - 1);

    public void Increment(int stripe, int slot) => Interlocked.Increment(ref _counts[LongsPerCacheLine + stripe * _stride + slot]);

    /// <summary>Adds every stripe's counts into <paramref name="totals"/> (one per slot).</summary>
    public void AddTo(Span<long> totals)
    {
        for (var stripe = 0; stripe < StripeCount; stripe++)
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

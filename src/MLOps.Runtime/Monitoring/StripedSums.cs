namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Sums of doubles written by many threads, striped per processor like <see cref="StripedCounts"/> (a compare-exchange
/// loop per add, uncontended in practice), added up on read.
/// </summary>
internal sealed class StripedSums : IWindowBucket
{
    private const int DoublesPerCacheLine = Stripes.ValuesPerCacheLine;

    private readonly double[] _sums;
    private readonly int _stride;

    public StripedSums(int slots)
    {
        Slots = slots;
        _stride = Stripes.Stride(slots);
        _sums = new double[DoublesPerCacheLine + _stride * Stripes.Count];
    }

    public int Slots { get; }

    public void Add(int stripe, int slot, double value)
    {
        ref var sum = ref _sums[DoublesPerCacheLine + (stripe & (Stripes.Count - 1)) * _stride + slot];
        var seen = Volatile.Read(ref sum);
        while (true)
        {
            var found = Interlocked.CompareExchange(ref sum, seen + value, seen);
            if (BitConverter.DoubleToInt64Bits(found) == BitConverter.DoubleToInt64Bits(seen))
            {
                return;
            }
            seen = found;
        }
    }

    public void AddTo(Span<double> totals)
    {
        for (var stripe = 0; stripe < Stripes.Count; stripe++)
        {
            var start = DoublesPerCacheLine + stripe * _stride;
            for (var slot = 0; slot < Slots; slot++)
            {
                totals[slot] += Volatile.Read(ref _sums[start + slot]);
            }
        }
    }

    public void Clear()
    {
        for (var i = 0; i < _sums.Length; i++)
        {
            Volatile.Write(ref _sums[i], 0);
        }
    }
}

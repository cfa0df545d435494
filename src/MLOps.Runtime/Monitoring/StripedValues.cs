using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Values that many scoring threads write at once without sharing a cache line: one stripe of all slots per processor
/// (<see cref="Stripes"/>), each padded to whole cache lines, with one spare line in front so that stripe 0 shares no
/// line with the array header. Reads add the stripes up. The layout, the reads and the reset of
/// <see cref="StripedCounts"/> and <see cref="StripedSums"/>; each adds only its own way of writing.
/// </summary>
/// <typeparam name="T">An eight-byte number (<see cref="long"/> or <see cref="double"/>), so that a slot is read and reset atomically.</typeparam>
internal abstract class StripedValues<T> : IWindowBucket
    where T : unmanaged, INumber<T>
{
    private readonly T[] _values;
    private readonly int _stride;

    protected StripedValues(int slots)
    {
        if (Unsafe.SizeOf<T>() != sizeof(long))
        {
            throw new NotSupportedException($"Striped values are eight-byte numbers, not {typeof(T).Name}.");
        }
        Slots = slots;
        _stride = Stripes.Stride(slots);
        _values = new T[Stripes.ValuesPerCacheLine + _stride * Stripes.Count];
    }

    public int Slots { get; }

    /// <summary>Adds every stripe's values into <paramref name="totals"/> (one per slot).</summary>
    public void AddTo(Span<T> totals)
    {
        for (var stripe = 0; stripe < Stripes.Count; stripe++)
        {
            for (var slot = 0; slot < Slots; slot++)
            {
                totals[slot] += Read(ref At(stripe, slot));
            }
        }
    }

    /// <summary>Sets every value to 0 (a window bucket taken for a new period).</summary>
    public void Clear()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            Volatile.Write(ref Unsafe.As<T, long>(ref _values[i]), 0L);
        }
    }

    /// <summary>The slot of <paramref name="stripe"/> (any processor number: masked to the stripes there are).</summary>
    protected ref T At(int stripe, int slot) => ref _values[Stripes.ValuesPerCacheLine + (stripe & (Stripes.Count - 1)) * _stride + slot];

    private static T Read(ref T value) => Unsafe.BitCast<long, T>(Volatile.Read(ref Unsafe.As<T, long>(ref value)));
}

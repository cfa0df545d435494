namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Sums of doubles written by many threads (<see cref="StripedValues{T}"/>): a compare-exchange loop per add,
/// uncontended in practice since each processor writes its own stripe.
/// </summary>
internal sealed class StripedSums(int slots) : StripedValues<double>(slots)
{
    public void Add(int stripe, int slot, double value)
    {
        ref var sum = ref At(stripe, slot);
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
}

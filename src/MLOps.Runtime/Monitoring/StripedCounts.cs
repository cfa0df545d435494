namespace MLOps.Runtime.Monitoring;

/// <summary>Counters that many scoring threads increment at once (<see cref="StripedValues{T}"/>).</summary>
internal sealed class StripedCounts(int slots) : StripedValues<long>(slots)
{
    public void Increment(int stripe, int slot) => Interlocked.Increment(ref At(stripe, slot));
}

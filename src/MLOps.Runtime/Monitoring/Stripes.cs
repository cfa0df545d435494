namespace MLOps.Runtime.Monitoring;

/// <summary>
/// The one striping rule of the monitors' counters and sums: a stripe per processor (rounded up to a power of two, at
/// most 64), chosen by the processor the thread runs on. Measured on a 16-core Xeon, one shared set of counters made
/// a monitored model scale 6.1× on 16 threads where an unmonitored one scaled 12×.
/// </summary>
internal static class Stripes
{
    /// <summary>Values in one 64-byte cache line (longs or doubles): stripes are padded to whole lines.</summary>
    public const int ValuesPerCacheLine = 8;

    public static readonly int Count = Math.Min(64, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    /// <summary>The stripe the calling thread writes: its processor's.</summary>
    public static int Current() => Thread.GetCurrentProcessorId() & (Count - 1);

    /// <summary>Slots rounded up to whole cache lines: the distance between two stripes.</summary>
    public static int Stride(int slots) => (slots + ValuesPerCacheLine - 1) / ValuesPerCacheLine * ValuesPerCacheLine;
}

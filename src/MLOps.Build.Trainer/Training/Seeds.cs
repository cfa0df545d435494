namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Derives the seed of one random choice (a shuffle, a trial's options) from the manifest's seed and the choice's
/// coordinates, the same in every process. <see cref="HashCode"/> is not an option: it is randomized per process.
/// </summary>
public static class Seeds
{
    public static int Derive(int seed, params int[] coordinates)
    {
        // FNV-1a over the 32-bit words: stable, well mixed for small consecutive inputs.
        var hash = 2166136261u;
        foreach (var word in coordinates.Prepend(seed))
        {
            for (var shift = 0; shift < 32; shift += 8)
            {
                hash = (hash ^ (uint)((word >> shift) & 0xFF)) * 16777619u;
            }
        }
        return (int)(hash & int.MaxValue);
    }
}

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Successive halving (Jamieson and Talwalkar, 2016; as Optuna's SuccessiveHalvingPruner and Hyperband's inner loop):
/// every configuration is cross-validated with little of its resource (iterations, trees), the best third goes on
/// with three times as much, and so on until the survivors are evaluated with all of it. Rounds depend only on the
/// previous round's results, never on timing, so the outcome is the same on any number of cores.
/// </summary>
public static class HalvingSchedule
{
    /// <summary>The reduction factor: each round keeps a third and grows the resource threefold.</summary>
    public const int Eta = 3;

    /// <summary>Rounds for <paramref name="configurations"/>: enough that the last has about one survivor, at most four.</summary>
    public static int Rounds(int configurations) =>
        configurations <= 1 ? 1 : Math.Min(4, 1 + (int)Math.Floor(Math.Log(configurations) / Math.Log(Eta) + 1e-9));

    /// <summary>Configurations that go on after a round of <paramref name="evaluated"/>.</summary>
    public static int Survivors(int evaluated) => Math.Max(1, (int)Math.Ceiling(evaluated / (double)Eta));

    /// <summary>The resource in round <paramref name="round"/>: geometric from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static long Resource(double min, double max, int round, int rounds)
    {
        if (rounds <= 1 || round >= rounds - 1)
        {
            return (long)Math.Floor(max);
        }
        var value = min * Math.Pow(max / min, round / (double)(rounds - 1));
        return Math.Clamp((long)Math.Round(value), (long)Math.Ceiling(min), (long)Math.Floor(max));
    }
}

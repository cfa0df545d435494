namespace MLOps.Build.Caching;

/// <summary>
/// A store that is off for the rest of the run after its first <see cref="StoreResult.Unavailable"/>, as Gradle treats
/// its remote cache: a cache must never fail a build, nor slow every model or trial of it down by a timeout. Exactly
/// one call, the one that found the store unusable, returns <see cref="StoreResult.Unavailable"/> (so its caller
/// reports it once, with its own context, even with many threads); every later call returns
/// <see cref="StoreResult.Missing"/> without asking. Writes are skipped when <paramref name="write"/> is false.
/// </summary>
/// <param name="onBreak">Called once, with the problem, at the call that turns the store off: for callers that report in one context (a sweep's trials) rather than at each call.</param>
public sealed class CircuitBreakerStore(IEntryStore inner, bool write, Action<string?>? onBreak = null) : IEntryStore
{
    private int _off;

    public bool IsOff => Volatile.Read(ref _off) == 1;

    public StoreResult TryGet(string key, IReadOnlyList<string> names, out IReadOnlyDictionary<string, byte[]>? contents, out string? problem)
    {
        contents = null;
        problem = null;
        return IsOff ? StoreResult.Missing : Break(inner.TryGet(key, names, out contents, out problem), problem);
    }

    public StoreResult TryPut(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem)
    {
        problem = null;
        return IsOff || !write ? StoreResult.Missing : Break(inner.TryPut(key, contents, out problem), problem);
    }

    public void Dispose() => inner.Dispose();

    private StoreResult Break(StoreResult result, string? problem)
    {
        if (result != StoreResult.Unavailable)
        {
            return result;
        }
        if (Interlocked.Exchange(ref _off, 1) == 1)
        {
            // Another thread's call turned it off first and reported it.
            return StoreResult.Missing;
        }
        onBreak?.Invoke(problem);
        return result;
    }
}

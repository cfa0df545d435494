using MLOps.Build.Caching;

namespace MLOps.Build.Tests.Cache;

/// <summary>A store that turns off at its first unusable answer: exactly one caller hears of it, whatever the threads.</summary>
public sealed class CircuitBreakerStoreTests
{
    private const string Key = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
    private static readonly string[] Names = ["a"];

    /// <summary>Answers what it is told to, and counts the calls that reach it.</summary>
    private sealed class ScriptedStore(StoreResult answer) : IEntryStore
    {
        public int Calls;

        public StoreResult Answer { get; set; } = answer;

        public StoreResult TryGet(string key, IReadOnlyList<string> names, out IReadOnlyDictionary<string, byte[]>? contents, out string? problem)
        {
            Interlocked.Increment(ref Calls);
            contents = Answer == StoreResult.Done ? new Dictionary<string, byte[]> { ["a"] = [1] } : null;
            problem = Answer == StoreResult.Unavailable ? "answered 503 Service Unavailable" : null;
            return Answer;
        }

        public StoreResult TryPut(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem) => TryGet(key, Names, out _, out problem);

        public void Dispose()
        {
        }
    }

    [Fact]
    public void The_first_unavailable_answer_is_passed_on_once_with_its_problem_and_the_store_is_never_asked_again()
    {
        var inner = new ScriptedStore(StoreResult.Unavailable);
        var reported = new List<string?>();
        var store = new CircuitBreakerStore(inner, write: true, reported.Add);

        Assert.Equal(StoreResult.Unavailable, store.TryGet(Key, Names, out _, out var problem));
        Assert.Equal("answered 503 Service Unavailable", problem);
        inner.Answer = StoreResult.Done;
        Assert.Equal(StoreResult.Missing, store.TryGet(Key, Names, out _, out _));
        Assert.Equal(StoreResult.Missing, store.TryPut(Key, new Dictionary<string, byte[]>(), out _));

        Assert.True(store.IsOff);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(["answered 503 Service Unavailable"], reported);
    }

    [Fact]
    public void Many_threads_failing_at_once_report_it_once()
    {
        var inner = new ScriptedStore(StoreResult.Unavailable);
        var reported = 0;
        var store = new CircuitBreakerStore(inner, write: true, _ => Interlocked.Increment(ref reported));

        var results = new StoreResult[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = store.TryGet(Key, Names, out _, out _));

        Assert.Equal(1, results.Count(r => r == StoreResult.Unavailable));
        Assert.Equal(1, reported);
    }

    [Theory]
    [InlineData(StoreResult.Missing)]
    [InlineData(StoreResult.Damaged)]
    [InlineData(StoreResult.Done)]
    public void Any_other_answer_keeps_it_on(StoreResult answer)
    {
        var inner = new ScriptedStore(answer);
        var store = new CircuitBreakerStore(inner, write: true);

        Assert.Equal(answer, store.TryGet(Key, Names, out _, out _));
        Assert.Equal(answer, store.TryGet(Key, Names, out _, out _));

        Assert.False(store.IsOff);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public void A_read_only_store_reads_and_never_writes()
    {
        var inner = new ScriptedStore(StoreResult.Done);
        var store = new CircuitBreakerStore(inner, write: false);

        Assert.Equal(StoreResult.Missing, store.TryPut(Key, new Dictionary<string, byte[]> { ["a"] = [1] }, out _));
        Assert.Equal(StoreResult.Done, store.TryGet(Key, Names, out _, out _));

        Assert.Equal(1, inner.Calls);
    }
}

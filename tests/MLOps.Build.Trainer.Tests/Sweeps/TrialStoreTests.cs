using MLOps.Build.Artifacts;
using MLOps.Build.Caching;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>Finished trials in the stores every cache shares: nearest first, copied nearer when found further away, damage ignored.</summary>
public sealed class TrialStoreTests : IDisposable
{
    private const string Fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static TrialRecord Trial(string fingerprint = Fingerprint) => new(3, 0, "LightGbm", new Dictionary<string, object?> { ["NumberOfLeaves"] = 8.0 },
        fingerprint, TrialRecord.Ok, null, [new Dictionary<string, double> { ["MacroAccuracy"] = 0.9 }],
        new Dictionary<string, double> { ["MacroAccuracy"] = 0.9 }, new Dictionary<string, double> { ["MacroAccuracy"] = 0 }, 120);

    private FolderEntryStore Folder(string name) => new(_folder.PathOf(name));

    [Fact]
    public void A_trial_put_is_found_in_every_store_and_read_back_equal()
    {
        var (artifacts, shared) = (Folder("artifacts/trials"), Folder("cache/trials"));
        new TrialStore([artifacts, shared]).Put(Trial() with { Cached = true });

        foreach (var only in new[] { artifacts, shared })
        {
            var found = new TrialStore([only]).TryGet(Fingerprint);
            Assert.NotNull(found);
            // Written as trained: whether it came from a cache is the reader's fact.
            Assert.False(found.Cached);
            Assert.Equal((3, "LightGbm", 0.9, 120L), (found.Index, found.Trainer, found.Mean["MacroAccuracy"], found.DurationMilliseconds));
        }
    }

    [Fact]
    public void A_trial_found_further_away_is_copied_into_the_nearer_stores()
    {
        var (artifacts, shared) = (Folder("clone-b/trials"), Folder("cache/trials"));
        new TrialStore([Folder("clone-a/trials"), shared]).Put(Trial());

        Assert.NotNull(new TrialStore([artifacts, shared]).TryGet(Fingerprint));

        Assert.Equal(StoreResult.Done, artifacts.TryGet(Fingerprint, ["trial.json"], out _, out _));
    }

    [Theory]
    [InlineData("{\"fingerprint\":\"" + Fingerprint + "\"}")]
    [InlineData("{\"index\":3,\"trainer\":\"LightGbm\",\"options\":{},\"fingerprint\":\"" + Fingerprint + "\",\"status\":\"ok\",\"folds\":[],\"mean\":null,\"standardDeviation\":{}}")]
    [InlineData("{\"index\":3,\"trainer\":\"LightGbm\",\"options\":{},\"fingerprint\":\"" + Fingerprint + "\",\"status\":\"ok\",\"folds\":[null],\"mean\":{},\"standardDeviation\":{}}")]
    public void A_trial_that_is_JSON_but_not_a_whole_record_is_ignored_and_the_next_store_answers(string stored)
    {
        var (artifacts, shared) = (Folder("artifacts/trials"), Folder("cache/trials"));
        // Stored whole as an entry (its hash checks out): what a cache server or another tool might hand back.
        Assert.Equal(StoreResult.Done, artifacts.TryPut(Fingerprint, new Dictionary<string, byte[]> { ["trial.json"] = System.Text.Encoding.UTF8.GetBytes(stored) }, out _));
        new TrialStore([shared]).Put(Trial());

        var found = new TrialStore([artifacts, shared]).TryGet(Fingerprint);

        Assert.Equal(0.9, found?.Mean["MacroAccuracy"]);
    }

    [Fact]
    public void A_damaged_trial_is_ignored_and_the_next_store_answers()
    {
        var (artifacts, shared) = (Folder("artifacts/trials"), Folder("cache/trials"));
        var store = new TrialStore([artifacts, shared]);
        store.Put(Trial());
        File.WriteAllText(Path.Combine(artifacts.EntryDirectory(Fingerprint), "trial.json"), "{ \"trun");

        Assert.NotNull(store.TryGet(Fingerprint));
        // And the damaged copy was healed from the shared one.
        Assert.Equal(StoreResult.Done, artifacts.TryGet(Fingerprint, ["trial.json"], out _, out _));
    }

    [Fact]
    public void A_record_of_another_trial_under_this_key_is_not_this_trial()
    {
        var artifacts = Folder("artifacts/trials");
        var other = System.Text.Encoding.UTF8.GetBytes(ArtifactJson.Line(Trial(new string('f', 64)), ArtifactJson.TrialRecord));
        artifacts.TryPut(Fingerprint, new Dictionary<string, byte[]> { ["trial.json"] = other }, out _);

        Assert.Null(new TrialStore([artifacts]).TryGet(Fingerprint));
    }

    [Fact]
    public void A_shared_cache_that_cannot_be_written_costs_nothing_but_the_sharing()
    {
        var artifacts = Folder("artifacts/trials");
        var blocked = new FolderEntryStore(Path.Combine(_folder.Write("blocked", "a file, not a folder"), "trials"));
        var store = new TrialStore([artifacts, blocked]);

        store.Put(Trial());

        Assert.NotNull(store.TryGet(Fingerprint));
    }
}

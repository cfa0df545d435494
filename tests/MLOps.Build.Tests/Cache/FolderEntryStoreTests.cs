using MLOps.Build.Caching;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Cache;

/// <summary>Trained artifacts in a cache folder, through the store contract every cache shares.</summary>
public sealed class FolderEntryStoreTests : IDisposable
{
    private const string Fingerprint = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
    private readonly TempRepository _repo = new();
    private readonly FolderEntryStore _cache;

    public FolderEntryStoreTests() => _cache = new FolderEntryStore(Path.Combine(_repo.Root, "cache"));

    public void Dispose() => _repo.Dispose();

    private string Artifacts(string name, string onnx = "onnx-bytes") => TrainedArtifacts.Write(_repo, name, Fingerprint, onnx);

    private StoreResult Publish(string artifacts) => ArtifactEntries.Publish(_cache, Fingerprint, artifacts, out _);

    [Fact]
    public void An_empty_cache_restores_nothing()
    {
        Assert.Equal(StoreResult.Missing, ArtifactEntries.Restore(_cache, Fingerprint, Path.Combine(_repo.Root, "out"), out _));
        Assert.False(Directory.Exists(Path.Combine(_repo.Root, "out")));
    }

    [Fact]
    public void A_published_entry_restores_every_file_and_the_stamp()
    {
        Assert.Equal(StoreResult.Done, Publish(Artifacts("built")));

        var target = Path.Combine(_repo.Root, "restored");
        Assert.Equal(StoreResult.Done, ArtifactEntries.Restore(_cache, Fingerprint, target, out _));

        Assert.Equal("onnx-bytes", File.ReadAllText(Path.Combine(target, "model.onnx")));
        Assert.Equal("{\"Accuracy\":0.9}", File.ReadAllText(Path.Combine(target, "metrics.json")));
        Assert.Equal(Fingerprint + "\n", File.ReadAllText(Path.Combine(target, "fingerprint.txt")));
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("modelcard.json")]
    [InlineData("entry.json")]
    public void A_damaged_entry_is_detected_discarded_and_restores_nothing(string damaged)
    {
        Publish(Artifacts("built"));
        var entry = _cache.EntryDirectory(Fingerprint);
        File.WriteAllText(Path.Combine(entry, damaged), "tru");

        var target = Path.Combine(_repo.Root, "restored");
        Assert.Equal(StoreResult.Damaged, ArtifactEntries.Restore(_cache, Fingerprint, target, out var problem));

        Assert.NotNull(problem);
        Assert.False(Directory.Exists(entry));
        Assert.False(File.Exists(Path.Combine(target, "fingerprint.txt")));
        // The next publish heals it.
        Assert.Equal(StoreResult.Done, Publish(Artifacts("rebuilt")));
        Assert.Equal(StoreResult.Done, ArtifactEntries.Restore(_cache, Fingerprint, target, out _));
    }

    [Fact]
    public void A_missing_file_in_an_entry_is_damage()
    {
        Publish(Artifacts("built"));
        File.Delete(Path.Combine(_cache.EntryDirectory(Fingerprint), "metrics.json"));

        Assert.Equal(StoreResult.Damaged, ArtifactEntries.Restore(_cache, Fingerprint, Path.Combine(_repo.Root, "r"), out _));
    }

    [Fact]
    public void Concurrent_publishers_of_one_fingerprint_leave_one_valid_entry()
    {
        var sources = Enumerable.Range(0, 8).Select(i => Artifacts("built" + i)).ToArray();

        var published = 0;
        Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = 8 }, source =>
        {
            if (Publish(source) == StoreResult.Done)
            {
                Interlocked.Increment(ref published);
            }
        });

        Assert.True(published >= 1);
        Assert.Equal(StoreResult.Done, ArtifactEntries.Restore(_cache, Fingerprint, Path.Combine(_repo.Root, "r"), out _));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(_cache.EntryDirectory(Fingerprint))!, "*.tmp-*"));
    }

    [Fact]
    public void Publishing_an_entry_that_is_already_there_is_nothing_to_do_and_keeps_the_first()
    {
        Assert.Equal(StoreResult.Done, Publish(Artifacts("first")));

        Assert.Equal(StoreResult.Missing, Publish(Artifacts("second", onnx: "other-bytes")));

        var target = Path.Combine(_repo.Root, "restored");
        Assert.Equal(StoreResult.Done, ArtifactEntries.Restore(_cache, Fingerprint, target, out _));
        Assert.Equal("onnx-bytes", File.ReadAllText(Path.Combine(target, "model.onnx")));
    }

    [Fact]
    public void A_cache_folder_that_cannot_be_written_is_unavailable_with_the_reason_and_leaves_nothing()
    {
        // A file where the cache folder should be (tests run as root in CI, where permission bits do not stop a write).
        var blocked = new FolderEntryStore(Path.Combine(_repo.Write("blocked-cache", "not a folder"), "cache"));

        Assert.Equal(StoreResult.Unavailable, ArtifactEntries.Publish(blocked, Fingerprint, Artifacts("built"), out var problem));

        Assert.NotNull(problem);
        Assert.Equal(StoreResult.Missing, ArtifactEntries.Restore(blocked, Fingerprint, Path.Combine(_repo.Root, "r"), out _));
    }

    [Fact]
    public void An_artifacts_folder_that_cannot_be_written_restores_nothing_and_keeps_the_entry()
    {
        Publish(Artifacts("built"));
        // A file where the artifacts folder should be.
        var blocked = _repo.Write("blocked", "not a folder");

        Assert.Equal(StoreResult.Missing, ArtifactEntries.Restore(_cache, Fingerprint, Path.Combine(blocked, "out"), out var problem));

        Assert.NotNull(problem);
        Assert.True(File.Exists(Path.Combine(_cache.EntryDirectory(Fingerprint), "entry.json")));
    }

    [Fact]
    public void A_cached_file_swapped_for_a_link_elsewhere_is_damage_and_discarding_it_leaves_the_link_target_alone()
    {
        Publish(Artifacts("built"));
        var outside = _repo.Write("outside/secret.txt", "not a model");
        var cached = Path.Combine(_cache.EntryDirectory(Fingerprint), "model.onnx");
        File.Delete(cached);
        File.CreateSymbolicLink(cached, outside);

        Assert.Equal(StoreResult.Damaged, ArtifactEntries.Restore(_cache, Fingerprint, Path.Combine(_repo.Root, "r"), out var problem));

        Assert.Contains("does not match", problem);
        Assert.False(Directory.Exists(_cache.EntryDirectory(Fingerprint)));
        Assert.Equal("not a model", File.ReadAllText(outside));
    }

    [Fact]
    public void A_cache_folder_reached_through_a_symbolic_link_works_like_the_folder()
    {
        var real = Directory.CreateDirectory(Path.Combine(_repo.Root, "real-cache")).FullName;
        var linked = new FolderEntryStore(Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "linked-cache"), real).FullName);

        Assert.Equal(StoreResult.Done, ArtifactEntries.Publish(linked, Fingerprint, Artifacts("built"), out _));

        Assert.Equal(StoreResult.Done, ArtifactEntries.Restore(new FolderEntryStore(real), Fingerprint, Path.Combine(_repo.Root, "r"), out _));
    }
}

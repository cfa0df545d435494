using MLOps.Build.Caching;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Cache;

public sealed class LocalArtifactCacheTests : IDisposable
{
    private const string Fingerprint = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
    private readonly TempRepository _repo = new();
    private readonly LocalArtifactCache _cache;

    public LocalArtifactCacheTests() => _cache = new LocalArtifactCache(Path.Combine(_repo.Root, "cache"));

    public void Dispose() => _repo.Dispose();

    private string Artifacts(string name, string onnx = "onnx-bytes")
    {
        _repo.Write($"{name}/model.onnx", onnx);
        _repo.Write($"{name}/modelcard.json", "{}");
        _repo.Write($"{name}/metrics.json", "{\"Accuracy\":0.9}");
        _repo.Write($"{name}/fingerprint.txt", Fingerprint + "\n");
        return Path.Combine(_repo.Root, name);
    }

    [Fact]
    public void An_empty_cache_restores_nothing()
    {
        Assert.Equal(CacheRestore.Missing, _cache.TryRestore(Fingerprint, Path.Combine(_repo.Root, "out"), out _));
        Assert.False(Directory.Exists(Path.Combine(_repo.Root, "out")));
    }

    [Fact]
    public void A_published_entry_restores_every_file_and_the_stamp()
    {
        Assert.True(_cache.TryPublish(Fingerprint, Artifacts("built")));

        var target = Path.Combine(_repo.Root, "restored");
        Assert.Equal(CacheRestore.Restored, _cache.TryRestore(Fingerprint, target, out _));

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
        _cache.TryPublish(Fingerprint, Artifacts("built"));
        var entry = _cache.EntryDirectory(Fingerprint);
        File.WriteAllText(Path.Combine(entry, damaged), "tru");

        var target = Path.Combine(_repo.Root, "restored");
        Assert.Equal(CacheRestore.Corrupt, _cache.TryRestore(Fingerprint, target, out var problem));

        Assert.NotNull(problem);
        Assert.False(Directory.Exists(entry));
        Assert.False(File.Exists(Path.Combine(target, "fingerprint.txt")));
        // The next publish heals it.
        Assert.True(_cache.TryPublish(Fingerprint, Artifacts("rebuilt")));
        Assert.Equal(CacheRestore.Restored, _cache.TryRestore(Fingerprint, target, out _));
    }

    [Fact]
    public void A_missing_file_in_an_entry_is_damage()
    {
        _cache.TryPublish(Fingerprint, Artifacts("built"));
        File.Delete(Path.Combine(_cache.EntryDirectory(Fingerprint), "metrics.json"));

        Assert.Equal(CacheRestore.Corrupt, _cache.TryRestore(Fingerprint, Path.Combine(_repo.Root, "r"), out _));
    }

    [Fact]
    public void Concurrent_publishers_of_one_fingerprint_leave_one_valid_entry()
    {
        var sources = Enumerable.Range(0, 8).Select(i => Artifacts("built" + i)).ToArray();

        var published = 0;
        Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = 8 }, source =>
        {
            if (_cache.TryPublish(Fingerprint, source))
            {
                Interlocked.Increment(ref published);
            }
        });

        Assert.True(published >= 1);
        Assert.Equal(CacheRestore.Restored, _cache.TryRestore(Fingerprint, Path.Combine(_repo.Root, "r"), out _));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(_cache.EntryDirectory(Fingerprint))!, "*.tmp-*"));
    }
}

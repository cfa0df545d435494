using MLOps.Build.Hashing;
using MLOps.Build.Tasks.Resolve;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

public sealed class FileHashCacheTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_file_with_unchanged_size_and_timestamp_is_not_read_again_even_across_builds()
    {
        var data = _repo.Write("data.csv", "a,b\n1,2\n");
        var cachePath = Path.Combine(_repo.Root, "obj", "filehashes.json");
        var first = new FileHashCache(cachePath);
        var hash = first.GetSha256(data);
        first.Save();
        var stamp = File.GetLastWriteTimeUtc(data);

        // Same size, same timestamp, different bytes: only a re-read could notice.
        File.WriteAllText(data, "a,b\n3,4\n");
        File.SetLastWriteTimeUtc(data, stamp);

        Assert.Equal(hash, new FileHashCache(cachePath).GetSha256(data));
    }

    [Fact]
    public void A_changed_timestamp_or_size_is_hashed_again()
    {
        var data = _repo.Write("data.csv", "a,b\n1,2\n");
        var cache = new FileHashCache(null);
        cache.GetSha256(data);

        File.WriteAllText(data, "a,b\n1,2\n5,6\n");
        Assert.Equal(FileHash.Sha256(data), cache.GetSha256(data));

        File.WriteAllText(data, "a,b\n9,9\n5,6\n");
        File.SetLastWriteTimeUtc(data, DateTime.UtcNow.AddMinutes(3));
        Assert.Equal(FileHash.Sha256(data), cache.GetSha256(data));
    }

    [Fact]
    public void A_damaged_cache_file_only_costs_a_rehash()
    {
        var data = _repo.Write("data.csv", "x\n1\n");
        var cachePath = _repo.Write("obj/filehashes.json", "{ not json");
        Assert.Equal(FileHash.Sha256(data), new FileHashCache(cachePath).GetSha256(data));
    }
}

using System.Text;
using MLOps.Build.Caching;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Cache;

/// <summary>The remote cache client against a loopback server: round trips, and every way a server fails.</summary>
public sealed class HttpEntryStoreTests : IDisposable
{
    private const string Fingerprint = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
    private readonly TempRepository _repo = new();
    private readonly LoopbackCacheServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _repo.Dispose();
    }

    private string Artifacts(string name, string onnx = "onnx-bytes") => TrainedArtifacts.Write(_repo, name, Fingerprint, onnx);

    private HttpEntryStore Client(Uri? url = null, double timeoutSeconds = 5) => new(url ?? _server.Url, null, TimeSpan.FromSeconds(timeoutSeconds));

    private string? _problem;

    private StoreResult Upload(HttpEntryStore store, string artifacts) => ArtifactEntries.Publish(store, Fingerprint, artifacts, out _problem);

    private StoreResult Download(HttpEntryStore store, string artifacts) => ArtifactEntries.Restore(store, Fingerprint, artifacts, out _problem);

    [Fact]
    public void An_upload_puts_every_blob_then_the_record_and_a_clean_clone_downloads_it_verified()
    {
        using var client = Client();

        Assert.Equal(StoreResult.Done, Upload(client, Artifacts("a")));
        var restored = Path.Combine(_repo.Root, "b");
        Assert.Equal(StoreResult.Done, Download(client, restored));

        Assert.Equal("PUT ac/" + Fingerprint, _server.Requests.Where(r => r.StartsWith("PUT", StringComparison.Ordinal)).Last());
        Assert.Equal(3, _server.Requests.Count(r => r.StartsWith("PUT cas/", StringComparison.Ordinal)));
        Assert.Equal("onnx-bytes", File.ReadAllText(Path.Combine(restored, "model.onnx")));
        Assert.Equal(Fingerprint + "\n", File.ReadAllText(Path.Combine(restored, "fingerprint.txt")));
    }

    [Fact]
    public void A_bearer_token_is_sent_with_every_request_and_never_appears_in_a_problem()
    {
        using var client = new HttpEntryStore(_server.Url, "s3cr3t-token", TimeSpan.FromSeconds(5));
        Upload(client, Artifacts("a"));
        _server.FailWith = 401;

        Assert.Equal(StoreResult.Unavailable, Download(client, Path.Combine(_repo.Root, "b")));

        Assert.All(_server.Authorizations, a => Assert.Equal("Bearer s3cr3t-token", a));
        Assert.DoesNotContain("s3cr3t", _problem);
        Assert.Contains("answered 401", _problem);
    }

    [Fact]
    public void A_fingerprint_the_server_does_not_have_is_missing()
    {
        using var client = Client();

        Assert.Equal(StoreResult.Missing, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.False(Directory.Exists(Path.Combine(_repo.Root, "b")));
    }

    [Fact]
    public void A_blob_corrupted_on_the_server_is_damaged_and_nothing_is_written()
    {
        using var client = Client();
        Upload(client, Artifacts("a"));
        var blob = _server.Store.Keys.First(k => k.StartsWith("cas/", StringComparison.Ordinal) && Encoding.UTF8.GetString(_server.Store[k]) == "onnx-bytes");
        _server.Store[blob] = Encoding.UTF8.GetBytes("onnx-bytez");

        Assert.Equal(StoreResult.Damaged, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.Contains("does not match its SHA-256", _problem);
        Assert.False(File.Exists(Path.Combine(_repo.Root, "b", "fingerprint.txt")));
    }

    [Fact]
    public void A_record_whose_blob_is_gone_is_damaged()
    {
        using var client = Client();
        Upload(client, Artifacts("a"));
        _server.Store.TryRemove(_server.Store.Keys.First(k => k.StartsWith("cas/", StringComparison.Ordinal)), out _);

        Assert.Equal(StoreResult.Damaged, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.Contains("is missing", _problem);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(403)]
    [InlineData(507)]
    public void An_error_status_makes_the_server_unavailable_with_the_status_named(int status)
    {
        using var client = Client();
        _server.FailWith = status;

        Assert.Equal(StoreResult.Unavailable, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.Contains($"answered {status}", _problem);
        Assert.Equal(StoreResult.Unavailable, Upload(client, Artifacts("a")));
    }

    [Fact]
    public void A_truncated_body_is_unavailable_not_a_wrong_file()
    {
        using var client = Client();
        Upload(client, Artifacts("a"));
        _server.Truncate = true;

        Assert.Equal(StoreResult.Unavailable, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.False(File.Exists(Path.Combine(_repo.Root, "b", "fingerprint.txt")));
    }

    [Fact]
    public void A_server_that_is_down_or_hangs_is_unavailable_within_the_timeout()
    {
        using var down = Client(new Uri($"http://127.0.0.1:{MLOps.Build.Testing.LoopbackPorts.Free()}/cache/"));
        Assert.Equal(StoreResult.Unavailable, Download(down, Path.Combine(_repo.Root, "b")));

        _server.Delay = TimeSpan.FromSeconds(10);
        using var impatient = Client(timeoutSeconds: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(StoreResult.Unavailable, Download(impatient, Path.Combine(_repo.Root, "b")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("no answer within 1 s", _problem);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_record_larger_than_any_record_is_damaged_without_being_read_whole(bool chunked)
    {
        using var client = Client();
        Upload(client, Artifacts("a"));
        _server.Store["ac/" + Fingerprint] = new byte[HttpEntryStore.RecordLimit * 4];
        _server.Chunked = chunked;

        Assert.Equal(StoreResult.Damaged, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.Contains("sent more than 1,048,576 bytes", _problem);
        Assert.DoesNotContain(_server.Requests, r => r.StartsWith("GET cas/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_that_announces_two_gigabytes_is_not_allocated_before_it_arrives()
    {
        using var client = Client();
        Upload(client, Artifacts("a"));
        _server.BlobAnnouncedLength = int.MaxValue - 1;

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(StoreResult.Unavailable, Download(client, Path.Combine(_repo.Root, "b")));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // Presized to the announced length, the blob's buffer alone was 2 GB.
        Assert.True(allocated < 256L << 20, $"allocated {allocated:N0} bytes");
        Assert.False(File.Exists(Path.Combine(_repo.Root, "b", "fingerprint.txt")));
    }

    [Fact]
    public void A_chunked_entry_within_its_limits_downloads()
    {
        using var client = Client();
        Upload(client, Artifacts("a", onnx: new string('x', 300_000)));
        _server.Chunked = true;

        Assert.Equal(StoreResult.Done, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.Equal(300_000, new FileInfo(Path.Combine(_repo.Root, "b", "model.onnx")).Length);
    }

    [Fact]
    public void A_server_that_stalls_mid_body_is_unavailable_within_the_timeout()
    {
        using var client = Client(timeoutSeconds: 1);
        Upload(client, Artifacts("a"));
        _server.StallMidBody = TimeSpan.FromSeconds(10);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(StoreResult.Unavailable, Download(client, Path.Combine(_repo.Root, "b")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("no answer within 1 s", _problem);
        Assert.False(File.Exists(Path.Combine(_repo.Root, "b", "fingerprint.txt")));
    }

    [Fact]
    public async Task Two_builds_uploading_the_same_entry_at_once_leave_one_good_entry()
    {
        using var client = Client();
        var a = Artifacts("a");
        var b = Artifacts("b");

        var results = await Task.WhenAll(Task.Run(() => Upload(client, a)), Task.Run(() => Upload(client, b)));

        Assert.All(results, r => Assert.Equal(StoreResult.Done, r));
        Assert.Equal(StoreResult.Done, Download(client, Path.Combine(_repo.Root, "c")));
    }
}

using System.Reflection;
using BenchmarkDotNet.Attributes;
using MLOps.Build.Caching;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Restoring a trained model (the WeatherModel fixture: model.onnx, modelcard.json, metrics.json) from the remote cache
/// (stock nginx on a loopback port, Bazel's HTTP cache layout, every blob verified) against restoring it from the local
/// cache folder (also verified). Goal: ≤ 1.5×.
/// </summary>
[MemoryDiagnoser]
public class CacheRestoreBenchmarks
{
    private const string Fingerprint = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private DirectoryInfo _folder = null!;
    private NginxCacheServer _server = null!;
    private FolderEntryStore _local = null!;
    private HttpEntryStore _remote = null!;
    private string _target = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("mlops-cache-bench-");
        var repository = typeof(CacheRestoreBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var artifacts = Path.Combine(_folder.FullName, "trained");
        Directory.CreateDirectory(artifacts);
        foreach (var file in new[] { "model.onnx", "modelcard.json" })
        {
            File.Copy(Path.Combine(repository, "tests", "Fixtures", "Models", "WeatherModel", file), Path.Combine(artifacts, file));
        }
        File.WriteAllText(Path.Combine(artifacts, "metrics.json"), "{\"MacroAccuracy\":0.5,\"MicroAccuracy\":0.8}");
        File.WriteAllText(Path.Combine(artifacts, "fingerprint.txt"), Fingerprint + "\n");

        _local = new FolderEntryStore(Path.Combine(_folder.FullName, "local"));
        ArtifactEntries.Publish(_local, Fingerprint, artifacts, out _);
        _server = new NginxCacheServer(Path.Combine(_folder.FullName, "nginx"));
        _remote = new HttpEntryStore(new Uri(_server.Url), null, TimeSpan.FromSeconds(10));
        if (ArtifactEntries.Publish(_remote, Fingerprint, artifacts, out var problem) != StoreResult.Done)
        {
            throw new InvalidOperationException($"upload failed: {problem}");
        }
        _target = Path.Combine(_folder.FullName, "restored");
    }

    [Benchmark(Baseline = true)]
    public StoreResult Local() => ArtifactEntries.Restore(_local, Fingerprint, _target, out _);

    [Benchmark]
    public StoreResult Remote() => ArtifactEntries.Restore(_remote, Fingerprint, _target, out _);

    [GlobalCleanup]
    public void Cleanup()
    {
        _remote.Dispose();
        _server.Dispose();
        _folder.Delete(recursive: true);
    }
}

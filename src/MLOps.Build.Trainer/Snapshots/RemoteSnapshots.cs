using MLOps.Build.Caching;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Query snapshots on the remote cache, as content-addressed blobs (<c>/cas/&lt;sha256&gt;</c>): a fresh machine whose
/// database query is pinned downloads the snapshot instead of querying, and builds that write to the cache upload what
/// they take. Only queries on a database: a DuckDB query over the repository's files is run where its files are.
/// The first problem with the server is one warning (MLOPS2031), and it is not asked again in this run.
/// </summary>
internal sealed class RemoteSnapshots(RemoteArtifactCache cache, bool write, DiagnosticBag diagnostics) : IDisposable
{
    private bool _off;

    public static RemoteSnapshots? For(SnapshotRequest request, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(request.RemoteCache) || !Uri.TryCreate(request.RemoteCache, UriKind.Absolute, out var root))
        {
            return null;
        }
        var token = string.IsNullOrWhiteSpace(request.RemoteCacheTokenVariable) ? null : Environment.GetEnvironmentVariable(request.RemoteCacheTokenVariable);
        return new RemoteSnapshots(new RemoteArtifactCache(root, token, TimeSpan.FromSeconds(Math.Max(1, request.RemoteCacheTimeoutSeconds))), request.RemoteCacheWrite, diagnostics);
    }

    /// <summary>Downloads the pinned snapshot into <paramref name="path"/>; false when the cache has no valid one.</summary>
    public bool TryRestore(string sha256, string path, FileLocation location, string role)
    {
        if (_off)
        {
            return false;
        }
        var status = cache.TryDownloadBlob(sha256, out var bytes, out var problem);
        if (status == RemoteResult.Unavailable)
        {
            TurnOff(problem, location);
        }
        if (status != RemoteResult.Done)
        {
            return false;
        }
        AtomicFile.WriteAllBytes(path, bytes!);
        diagnostics.Add(D.SnapshotRestoredFromRemoteCache, location,
            $"Restored the snapshot of '{role}' (sha256 {sha256}, {bytes!.Length:N0} bytes) from the remote cache {cache.Root}; the database was not queried.");
        return true;
    }

    public void Upload(string path, FileLocation location)
    {
        if (_off || !write)
        {
            return;
        }
        if (cache.TryUploadBlob(File.ReadAllBytes(path), out var problem) == RemoteResult.Unavailable)
        {
            TurnOff(problem, location);
        }
    }

    public void Dispose() => cache.Dispose();

    private void TurnOff(string? problem, FileLocation location)
    {
        _off = true;
        diagnostics.Add(D.RemoteCacheUnavailable, location,
            $"The remote cache {cache.Root} cannot be used for query snapshots ({problem}); it is off for the rest of this run, which goes on without it.");
    }
}

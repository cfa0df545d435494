using MLOps.Build.Caching;
using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Snapshots;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Query snapshots on the remote cache: the snapshot as a content-addressed blob (<c>/cas/&lt;sha256&gt;</c>) under an
/// entry keyed by the query and the pin (<see cref="SnapshotRecord.Key"/>), so a fresh machine whose database query is
/// pinned downloads the very result that query gave instead of querying, and builds that write to the cache upload
/// what they take. Only queries on a database: a DuckDB query over the repository's files is run where its files are.
/// The first problem with the server is one warning (MLOPS2031), and it is not asked again in this run.
/// </summary>
internal sealed class RemoteSnapshots(HttpEntryStore server, bool write, DiagnosticBag diagnostics) : IDisposable
{
    private static readonly string[] EntryFiles = [SnapshotRecord.RemoteEntryName];
    private readonly CircuitBreakerStore _store = new(server, write);

    public static RemoteSnapshots? For(SnapshotRequest request, DiagnosticBag diagnostics) =>
        request.RemoteCache?.Open() is { } server ? new RemoteSnapshots(server, request.RemoteCache.Write, diagnostics) : null;

    /// <summary>Downloads the pinned snapshot of the entry's query into the store, with its record; false when the cache has no valid one.</summary>
    public bool TryRestore(DataFileReference file, SnapshotStore store)
    {
        var (query, sha256) = (file.Query!, file.Sha256!);
        var status = _store.TryGet(SnapshotRecord.Key(query, sha256), EntryFiles, out var contents, out var problem);
        if (status == StoreResult.Unavailable)
        {
            ReportUnavailable(problem, query.SqlLocation);
        }
        if (status != StoreResult.Done || contents![SnapshotRecord.RemoteEntryName] is not { } bytes || FileHash.Sha256(bytes) != sha256)
        {
            return false;
        }
        AtomicFile.WriteAllBytes(store.PathOf(sha256), bytes);
        SnapshotRecord.Write(store, query, sha256, sourcesHash: null);
        diagnostics.Add(D.SnapshotRestoredFromRemoteCache, query.SqlLocation,
            $"Restored the snapshot of '{file.Role}' (sha256 {sha256}, {bytes.Length:N0} bytes) from the remote cache {server.Root}; the database was not queried.");
        return true;
    }

    public void Upload(QuerySpec query, string sha256, SnapshotStore store)
    {
        // Asked before the snapshot is read: the store would skip the write anyway, but only after the read.
        if (_store.IsOff || !write)
        {
            return;
        }
        var contents = new Dictionary<string, byte[]> { [SnapshotRecord.RemoteEntryName] = File.ReadAllBytes(store.PathOf(sha256)) };
        if (_store.TryPut(SnapshotRecord.Key(query, sha256), contents, out var problem) == StoreResult.Unavailable)
        {
            ReportUnavailable(problem, query.SqlLocation);
        }
    }

    public void Dispose() => _store.Dispose();

    private void ReportUnavailable(string? problem, FileLocation location)
    {
        diagnostics.Add(D.RemoteCacheUnavailable, location,
            $"The remote cache {server.Root} cannot be used for query snapshots ({problem}); it is off for the rest of this run, which goes on without it.");
    }
}

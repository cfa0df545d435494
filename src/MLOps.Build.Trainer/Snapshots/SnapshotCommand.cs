using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Locking;
using MLOps.Build.Manifest;
using MLOps.Build.Snapshots;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Snapshots;

/// <param name="UpdateLock">Run every query again and pin its result (<c>-p:MLOpsUpdateLock=true</c>).</param>
public sealed record SnapshotRequest(string ManifestPath, string RepositoryRoot, bool UpdateLock)
{
    /// <summary>The remote cache, for snapshots of database queries; null: none.</summary>
    public Caching.RemoteCacheSettings? RemoteCache { get; init; }
}

/// <summary>
/// Takes the snapshots a manifest's queries need: a pinned query whose snapshot is not in the store (a fresh clone or
/// machine), an unpinned one, or every query when the lock is being updated. The result is written under a hidden
/// name in the store, hashed, then renamed to its hash, so a killed run leaves no snapshot that anything trusts.
/// A result that differs from the pin is MLOPS1061 and pins nothing, unless the lock is being updated.
/// </summary>
public sealed class SnapshotCommand(DiagnosticBag diagnostics)
{
    public bool Run(SnapshotRequest request) => RunAsync(request).GetAwaiter().GetResult();

    private async Task<bool> RunAsync(SnapshotRequest request)
    {
        var store = SnapshotStore.FromEnvironment();
        var manifest = ManifestParser.ParseFile(request.ManifestPath, diagnostics, store);
        if (manifest is null)
        {
            return false;
        }
        if (!manifest.DataFiles.Any(f => f.Query is not null))
        {
            return true;
        }
        try
        {
            Directory.CreateDirectory(store.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(D.BuildFileNotWritable, FileLocation.File(manifest.Path),
                $"The snapshot store '{store.Directory}' cannot be created ({ex.Message}); set MLOpsSnapshotDir (or MLOpsCacheDir) to a writable folder.");
            return false;
        }
        store.RemoveAbandoned(DateTime.UtcNow);
        using var remote = RemoteSnapshots.For(request, diagnostics);
        var ok = true;
        var pins = new Dictionary<DataFileReference, string>();
        var rows = new Dictionary<DataFileReference, long>();
        foreach (var file in manifest.DataFiles.Where(f => f.Query is not null))
        {
            if (!request.UpdateLock && file.Sha256 is { } pinned && File.Exists(store.PathOf(pinned))
                && SnapshotRecord.IsCurrent(file, manifest.DirectoryPath, store, FileHash.Sha256))
            {
                continue;
            }
            if (!request.UpdateLock && file.Sha256 is not null && file.Query!.ConnectionVariable is not null
                && remote?.TryRestore(file, store) == true)
            {
                continue;
            }
            // Hashed before the query runs: a file changed meanwhile makes the next build run it again.
            var sources = QuerySources.Hash(QuerySources.Files(file, manifest.DirectoryPath), manifest.DirectoryPath, FileHash.Sha256);
            if (await TakeAsync(file, manifest, request.RepositoryRoot, store) is not var (sha256, count))
            {
                ok = false;
                continue;
            }
            var query = file.Query!;
            if (file.Sha256 == sha256 || request.UpdateLock)
            {
                SnapshotRecord.Write(store, query, sha256, sources);
                if (query.ConnectionVariable is not null)
                {
                    remote?.Upload(query, sha256, store);
                }
            }
            if (file.Sha256 == sha256)
            {
                diagnostics.Add(D.SnapshotTaken, query.SqlLocation,
                    $"Took the snapshot of '{file.Role}' ({query.Engine.ToName()}): {QueryRunner.Count(count)} rows, sha256 {sha256}, as pinned.");
                if (query.PinnedRows != count)
                {
                    rows[file] = count;
                    pins[file] = sha256;
                }
            }
            else if (request.UpdateLock)
            {
                pins[file] = sha256;
                rows[file] = count;
            }
            else if (file.Sha256 is { } was)
            {
                var pinnedRows = query.PinnedRows is { } before
                    ? $"{QueryRunner.Count(before)} rows when pinned, {QueryRunner.Count(count)} now ({(count - before >= 0 ? "+" : "")}{QueryRunner.Count(count - before)})"
                    : $"{QueryRunner.Count(count)} rows now (the pinned row count is not recorded)";
                diagnostics.Add(D.QueryResultChanged, file.Sha256Node!.Location,
                    $"The result of the query of '{file.Role}' ({query.Engine.ToName()}) changed since it was pinned: the manifest pins sha256 {was}, the query now gives {sha256}; {pinnedRows}. If the change is intended, build with -p:MLOpsUpdateLock=true to pin the new result.");
                ok = false;
            }
            else if (file.PinRequired)
            {
                diagnostics.Add(D.DataHashMissing, query.SqlLocation,
                    $"'{file.Role}' query ({query.Engine.ToName()}) is not pinned by a sha256; build once with -p:MLOpsUpdateLock=true to pin it (its snapshot has {QueryRunner.Count(count)} rows, sha256 {sha256}).");
                ok = false;
            }
        }
        if (ok && pins.Count > 0)
        {
            AtomicFile.WriteAllBytes(manifest.Path, ManifestHashWriter.Rewrite(manifest, pins, rows));
            foreach (var pin in pins.Where(p => p.Key.Sha256 != p.Value))
            {
                diagnostics.Add(D.DataHashUpdated, pin.Key.PathLocation,
                    $"Pinned '{pin.Key.Role}' query ({pin.Key.Query!.Engine.ToName()}) at sha256 {pin.Value} ({QueryRunner.Count(rows[pin.Key])} rows).");
            }
        }
        return ok;
    }

    /// <summary>Runs the query into the store; the snapshot's hash and rows, or null (reported).</summary>
    private async Task<(string Sha256, long Rows)?> TakeAsync(DataFileReference file, ModelManifest manifest, string repositoryRoot, SnapshotStore store)
    {
        var temporary = store.NewTakingPath();
        try
        {
            if (await new QueryRunner(diagnostics).RunAsync(file, manifest.DirectoryPath, repositoryRoot, temporary) is not { } count)
            {
                return null;
            }
            if (count == 0)
            {
                diagnostics.Add(D.EmptyData, file.Query!.SqlLocation, $"The query of '{file.Role}' returns no rows.");
                return null;
            }
            var sha256 = FileHash.Sha256(temporary);
            if (file.Sha256 is null)
            {
                // The latest result of an unpinned query, where the build and the drift check look for it.
                var latest = temporary + ".latest";
                File.Copy(temporary, latest);
                File.Move(latest, file.FullPath(manifest.DirectoryPath), overwrite: true);
            }
            File.Move(temporary, store.PathOf(sha256), overwrite: true);
            return (sha256, count);
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + ".latest" }.Where(File.Exists))
            {
                File.Delete(leftover);
            }
        }
    }
}

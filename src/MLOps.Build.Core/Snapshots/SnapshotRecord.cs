using System.Text;
using MLOps.Build.Manifest;

namespace MLOps.Build.Snapshots;

/// <summary>
/// The proof that a snapshot in the store is the result of a query as the manifest now writes it: a small file beside
/// the snapshot, named by the query (engine, connection variable, SQL) and the snapshot's hash, holding the hash of the
/// query's source files (<see cref="QuerySources"/>) when it was taken, or "-" for a query on a database. Without it
/// (the SQL edited but not re-pinned, a source file changed) the pinned snapshot is not trusted and the query runs
/// again, so a stale result is MLOPS1061 instead of silently trained on. The same key names the snapshot's entry on the
/// remote cache (<c>/ac/&lt;key&gt;</c>), so a download is bound to the query too.
/// </summary>
public static class SnapshotRecord
{
    /// <summary>The file name of the snapshot inside a remote cache entry.</summary>
    public const string RemoteEntryName = "snapshot.parquet";

    private const string NoSources = "-";

    /// <summary>The SHA-256 of the query's identity and the snapshot's hash.</summary>
    public static string Key(QuerySpec query, string snapshotSha256) =>
        Hashing.FileHash.Sha256(Encoding.UTF8.GetBytes($"{query.Identity}\n{snapshotSha256}"));

    public static string PathOf(SnapshotStore store, QuerySpec query, string snapshotSha256) =>
        Path.Combine(store.Directory, $"{snapshotSha256}.{Key(query, snapshotSha256).Substring(0, 16)}.record");

    /// <summary>Records that <paramref name="query"/> gave the snapshot, with its sources' hash (null: none).</summary>
    public static void Write(SnapshotStore store, QuerySpec query, string snapshotSha256, string? sourcesHash) =>
        IO.AtomicFile.WriteAllBytes(PathOf(store, query, snapshotSha256), Encoding.UTF8.GetBytes((sourcesHash ?? NoSources) + "\n"));

    /// <summary>Whether the pinned snapshot was taken by this query, from source files as they are now.</summary>
    public static bool IsCurrent(DataFileReference file, string manifestDirectory, SnapshotStore store, Func<string, string> fileHash)
    {
        if (file.Sha256 is null || file.Query is null)
        {
            return false;
        }
        var record = PathOf(store, file.Query, file.Sha256);
        try
        {
            if (!File.Exists(record))
            {
                return false;
            }
            var sources = QuerySources.Hash(QuerySources.Files(file, manifestDirectory), manifestDirectory, fileHash) ?? NoSources;
            return File.ReadAllText(record).Trim() == sources;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

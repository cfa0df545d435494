namespace MLOps.Build.Snapshots;

/// <summary>
/// The folder of query snapshots: one Parquet file per result, named by its SHA-256, shared by every clone and
/// project on the machine (beside the artifact cache), so a build whose pinned snapshot is here never runs the query.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>Set by the build for the trainer it starts (and its workers): the project's <c>$(MLOpsCacheDir)snapshots</c>.</summary>
    public const string DirectoryVariable = "MLOPS_SNAPSHOT_DIR";

    /// <summary>The cache folder's variable, read the way the package's props read it.</summary>
    public const string CacheDirectoryVariable = "MLOPS_CACHE_DIR";

    /// <summary>
    /// Set by the build for the trainer: the project's package folders (<c>$(NuGetPackageFolders)</c>, the global one
    /// and fallbacks, ';'-separated), where DuckDB's native library is restored (it is not shipped in MLOps.Build).
    /// </summary>
    public const string NuGetPackagesVariable = "MLOPS_NUGET_PACKAGES";

    public const string FolderName = "snapshots";

    public const string Extension = ".parquet";

    /// <summary>The hidden name a snapshot is written under until its hash is known (<c>.taking-&lt;guid&gt;.parquet</c>).</summary>
    public const string TakingPrefix = ".taking-";

    /// <summary>
    /// A snapshot still being written after this long was abandoned by a killed build (queries that run longer than a
    /// day are not expected; one still running would only lose its half-written file and fail, never be trusted).
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    public SnapshotStore(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>Where the snapshot with this SHA-256 is (or would be) kept.</summary>
    public string PathOf(string sha256) => Path.Combine(Directory, sha256.ToLowerInvariant() + Extension);

    /// <summary>
    /// Where the latest snapshot of an unpinned query is kept (an unpinned <c>drift.current</c> query runs on every
    /// build that checks drift): named by the query, its engine and its connection variable, never by a result.
    /// </summary>
    public string PathOfUnpinned(Manifest.QuerySpec query) =>
        Path.Combine(Directory, "unpinned-" + Hashing.FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(query.Identity)) + Extension);

    /// <summary>A path for a snapshot being taken: hidden, unique, never read by anything but the writer.</summary>
    public string NewTakingPath() => Path.Combine(Directory, TakingPrefix + Guid.NewGuid().ToString("N") + Extension);

    /// <summary>Deletes what killed builds left half-written (older than <see cref="AbandonedAfter"/>); the files deleted.</summary>
    public int RemoveAbandoned(DateTime nowUtc)
    {
        var removed = 0;
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, TakingPrefix + "*"))
        {
            try
            {
                if (nowUtc - File.GetLastWriteTimeUtc(file) > AbandonedAfter)
                {
                    File.Delete(file);
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another build's, or not ours to delete: left as it is.
            }
        }
        return removed;
    }

    /// <summary>
    /// <see cref="DirectoryVariable"/>, else <c>$MLOPS_CACHE_DIR/snapshots</c>, else <c>~/.mlops/cache/snapshots</c>:
    /// the same folder as MSBuild's <c>MLOpsCacheDir</c> default.
    /// </summary>
    public static SnapshotStore FromEnvironment()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return new SnapshotStore(explicitDirectory!);
        }
        var cache = Environment.GetEnvironmentVariable(CacheDirectoryVariable);
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".mlops", "cache");
        }
        return new SnapshotStore(Path.Combine(cache!, FolderName));
    }
}

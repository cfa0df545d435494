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

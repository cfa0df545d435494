namespace MLOps.Build.Tasks.Train;

/// <summary>How to start the trainer for one model.</summary>
public sealed record TrainerLaunch(
    string DotnetHost,
    string TrainerAssembly,
    string ManifestPath,
    string ArtifactsDirectory,
    string Fingerprint,
    string RepositoryRoot,
    TimeSpan Timeout)
{
    /// <summary>The trainer's command: <c>train</c>, <c>drift</c> (with the drift fingerprint as <see cref="Fingerprint"/>), or <c>snapshot</c>.</summary>
    public string Command { get; init; } = "train";

    /// <summary>The shared cache's folder of sweep trials; null: none.</summary>
    public string? TrialCacheDirectory { get; init; }

    /// <summary>Sweep trials at once; 0: one per core.</summary>
    public int Parallelism { get; init; }

    /// <summary>The remote cache for sweep trials and query snapshots; null: none.</summary>
    public Caching.RemoteCacheSettings? RemoteCache { get; init; }

    /// <summary>The snapshot store (<c>$(MLOpsCacheDir)snapshots</c>), handed to the trainer and its workers as an environment variable; null: the trainer's default.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>The NuGet package folders (<c>$(NuGetPackageFolders)</c>), where the trainer finds DuckDB's native library; null: the default.</summary>
    public string? NuGetPackageFolders { get; init; }

    /// <summary>For <c>snapshot</c>: the file listing the project's package assets, where plugged query providers are loaded from; null: none.</summary>
    public string? QueryProviderAssetsFile { get; init; }

    /// <summary>For <c>snapshot</c>: run every query again and pin its result.</summary>
    public bool UpdateLock { get; init; }

    /// <summary>"i/n": run only that shard of the sweep; null: all of it.</summary>
    public string? SweepShard { get; init; }

    /// <summary>For <c>train</c>: the accepted model's ONNX file and card, to compare with on the same test rows; null: none.</summary>
    public string? AcceptedDirectory { get; init; }

    /// <summary>For <c>train</c>: the model's run history, whose earlier sweep winners a sweep tries first; null: none.</summary>
    public string? RunHistoryPath { get; init; }

    /// <summary>Where the trainer writes its result (<see cref="Protocol.TrainerResult"/>); set by <see cref="TrainerRunner"/> for each run.</summary>
    public string? ResultPath { get; init; }

    /// <summary>The process the trainer watches: when it exits (a build killed outright), the trainer stops too.</summary>
    public int ParentProcessId { get; init; } = CurrentProcessId();

    private static int CurrentProcessId()
    {
        using var current = System.Diagnostics.Process.GetCurrentProcess();
        return current.Id;
    }

    /// <summary>Environment variables the trainer process gets besides the build's own.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(SnapshotDirectory))
            {
                variables[Snapshots.SnapshotStore.DirectoryVariable] = SnapshotDirectory!;
            }
            if (!string.IsNullOrEmpty(NuGetPackageFolders))
            {
                variables[Snapshots.SnapshotStore.NuGetPackagesVariable] = NuGetPackageFolders!;
            }
            if (!string.IsNullOrEmpty(QueryProviderAssetsFile))
            {
                variables[Snapshots.QueryProviderAssets.Variable] = QueryProviderAssetsFile!;
                // A provider is the one the project's framework restored, possibly built for a newer .NET than the
                // trainer's: the snapshot command runs on the newest runtime installed (training keeps its own rule).
                variables["DOTNET_ROLL_FORWARD"] = "LatestMajor";
            }
            return variables;
        }
    }

    /// <summary>What the trainer reads (<see cref="Protocol.TrainerArguments"/>: written and parsed by one type).</summary>
    public Protocol.TrainerArguments TrainerArguments => new(Command, ManifestPath)
    {
        OutputDirectory = ArtifactsDirectory,
        Fingerprint = Fingerprint,
        RepositoryRoot = RepositoryRoot,
        ParentProcessId = ParentProcessId,
        TrialCacheDirectory = TrialCacheDirectory,
        Parallelism = Parallelism,
        Shard = SweepShard,
        UpdateLock = UpdateLock,
        RemoteCache = RemoteCache,
        ResultPath = ResultPath,
        AcceptedDirectory = AcceptedDirectory,
        RunHistoryPath = RunHistoryPath,
    };

    public IReadOnlyList<string> Arguments => ["exec", TrainerAssembly, .. TrainerArguments.Format()];
}

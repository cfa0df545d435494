using Microsoft.Build.Framework;

namespace MLOps.Build.Tasks.Train;

/// <summary>
/// A task that runs the out-of-process trainer (<see cref="TrainModels"/>, <see cref="CheckDrift"/>): one launch path,
/// one timeout and cancellation rule, and the node yielded while the trainer works, so that a parallel build schedules
/// other projects' work on this node instead of waiting minutes for a training run (as ToolTask's
/// <c>YieldDuringToolExecution</c> does).
/// </summary>
public abstract class TrainerTask : MLOpsTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>MLOps.Build.Trainer.dll from the package's tools/trainer folder.</summary>
    [Required] public string TrainerAssembly { get; set; } = "";

    /// <summary>The dotnet host to run it with; default $(DOTNET_HOST_PATH), else dotnet on the PATH.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>The snapshot store of query results (<c>$(MLOpsCacheDir)snapshots</c>); empty: the trainer's default.</summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>The project's NuGet package folders (<c>$(NuGetPackageFolders)</c>), where DuckDB's native library is restored; empty: the default.</summary>
    public string? NuGetPackageFolders { get; set; }

    /// <summary>The remote cache's URL (Bazel HTTP cache layout): trained models, sweep trials and query snapshots; empty: none.</summary>
    public string? RemoteCache { get; set; }

    /// <summary>Whether this build uploads what it trains to the remote cache (by default only CI builds do).</summary>
    public bool RemoteCacheWrite { get; set; }

    /// <summary>Seconds a remote cache request may take before the remote cache is turned off for the build.</summary>
    public int RemoteCacheTimeout { get; set; } = 10;

    /// <summary>The environment variable holding the remote cache's bearer token (its value is never logged).</summary>
    public string? RemoteCacheTokenVariable { get; set; }

    /// <summary>The remote cache settings the trainer gets (URL, write, timeout, token variable); null without a valid URL.</summary>
    protected Caching.RemoteCacheSettings? RemoteCacheSettings =>
        string.IsNullOrWhiteSpace(RemoteCache) || !Uri.TryCreate(RemoteCache!.Trim(), UriKind.Absolute, out _)
            ? null
            : new Caching.RemoteCacheSettings(RemoteCache!.Trim(), RemoteCacheWrite, RemoteCacheTimeout, RemoteCacheTokenVariable);

    /// <summary>Seconds before a run is stopped (MLOPS2003).</summary>
    public int TimeoutSeconds { get; set; } = 3600;

    protected bool Canceled => _cancellation.IsCancellationRequested;

    public void Cancel() => _cancellation.Cancel();

    /// <summary>Runs one trainer command for one model; its output is logged as it comes.</summary>
    /// <param name="fingerprint">What the command's artifacts must record (the model's or the drift report's).</param>
    /// <param name="configure">Command-specific launch settings.</param>
    protected bool RunTrainer(ITaskItem model, string command, string fingerprint, Func<TrainerLaunch, TrainerLaunch>? configure = null) =>
        RunTrainer(command, model.ItemSpec, model.GetMetadata(ModelItemMetadata.ArtifactsDirectory), fingerprint, model.GetMetadata(ModelItemMetadata.RepositoryRoot), configure);

    /// <summary>Runs one trainer command for the manifest at <paramref name="manifestPath"/>.</summary>
    protected bool RunTrainer(string command, string manifestPath, string artifactsDirectory, string fingerprint, string repositoryRoot, Func<TrainerLaunch, TrainerLaunch>? configure = null)
    {
        var launch = new TrainerLaunch(
            DotnetHost ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            TrainerAssembly, manifestPath, artifactsDirectory, fingerprint,
            repositoryRoot, TimeSpan.FromSeconds(TimeoutSeconds <= 0 ? 3600 : TimeoutSeconds))
        {
            Command = command,
            SnapshotDirectory = string.IsNullOrWhiteSpace(SnapshotDirectory) ? null : SnapshotDirectory,
            NuGetPackageFolders = string.IsNullOrWhiteSpace(NuGetPackageFolders) ? null : NuGetPackageFolders,
        };
        launch = configure?.Invoke(launch) ?? launch;
        var engine = BuildEngine as IBuildEngine3;
        engine?.Yield();
        try
        {
            return TrainerRunner.Run(launch, new TaskTrainerOutput(Log), _cancellation.Token);
        }
        finally
        {
            engine?.Reacquire();
        }
    }
}

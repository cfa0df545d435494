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
    /// <summary>The trainer's command: <c>train</c>, or <c>drift</c> (with the drift fingerprint as <see cref="Fingerprint"/>).</summary>
    public string Command { get; init; } = "train";

    /// <summary>The shared cache's folder of sweep trials; null: none.</summary>
    public string? TrialCacheDirectory { get; init; }

    /// <summary>Sweep trials at once; 0: one per core.</summary>
    public int Parallelism { get; init; }

    public IReadOnlyList<string> Arguments =>
    [
        "exec", TrainerAssembly, Command,
        "--manifest", ManifestPath,
        "--output", ArtifactsDirectory,
        "--fingerprint", Fingerprint,
        "--repository-root", RepositoryRoot,
        .. TrialCacheDirectory is null ? Array.Empty<string>() : ["--trial-cache", TrialCacheDirectory],
        .. Parallelism > 0 ? ["--parallelism", Parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture)] : Array.Empty<string>(),
    ];
}

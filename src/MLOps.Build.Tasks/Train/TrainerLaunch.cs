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
    public IReadOnlyList<string> Arguments =>
    [
        "exec", TrainerAssembly, "train",
        "--manifest", ManifestPath,
        "--output", ArtifactsDirectory,
        "--fingerprint", Fingerprint,
        "--repository-root", RepositoryRoot,
    ];
}

namespace MLOps.Build.Trainer.Tests.Snapshots;

/// <summary>
/// Snapshot tests set the snapshot store's environment variable (the build sets it for the trainer process) and
/// DuckDB reads relative paths from the working directory: they run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SnapshotCollection
{
    public const string Name = "Snapshots";
}

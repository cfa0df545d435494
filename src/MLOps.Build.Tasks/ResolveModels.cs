using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Resolve;
using MLOps.Build.Tasks.Train;

namespace MLOps.Build.Tasks;

/// <summary>
/// Parses the project's <c>MLModel</c> manifests, verifies their data and computes fingerprints. A query whose
/// snapshot is not at hand is run first, out of process, by the trainer's <c>snapshot</c> command.
/// </summary>
public sealed class ResolveModels : TrainerTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];
    [Required] public string ProjectDirectory { get; set; } = "";
    [Required] public string ArtifactsRoot { get; set; } = "";
    /// <summary>Defaults to this package's version: a new MLOps.Build retrains, since it may train differently.</summary>
    public string? ToolVersion { get; set; }
    public string? ProjectFile { get; set; }
    public string? RootNamespace { get; set; }
    public string? RepositoryRoot { get; set; }
    public bool UpdateLock { get; set; }

    /// <summary>Whether queries may run (not in design-time builds, which trust the pins).</summary>
    public bool TakeSnapshots { get; set; }

    /// <summary>
    /// The project's package assets (<c>RuntimeCopyLocalItems</c>, <c>RuntimeTargetsCopyLocalItems</c>,
    /// <c>NativeCopyLocalItems</c>), where the trainer finds a plugged query provider (SQLite, <c>adonet</c>).
    /// </summary>
    public ITaskItem[] QueryProviderAssets { get; set; } = [];

    [Output] public ITaskItem[] ResolvedModels { get; private set; } = [];

    protected override bool ExecuteCore()
    {
        var diagnostics = new DiagnosticBag();
        var hashCache = new FileHashCache(Path.Combine(ArtifactsRoot, ArtifactNames.FileHashCache));
        var resolveCache = new ResolveCache(Path.Combine(ArtifactsRoot, ArtifactNames.ResolveCache));
        var settings = new ResolverSettings(ProjectDirectory, ArtifactsRoot, RootNamespace ?? "", ToolVersion ?? ToolPackage.Informational, UpdateLock, hashCache)
        {
            RepositoryRoot = RepositoryRoot,
            ProjectFile = ProjectFile,
            Cache = resolveCache,
            Snapshots = string.IsNullOrWhiteSpace(SnapshotDirectory) ? null : new Snapshots.SnapshotStore(SnapshotDirectory!),
            TakeSnapshots = TakeSnapshots ? RunSnapshots : null,
        };
        var requests = Models.Select(m => new ModelRequest(
            m.ItemSpec, Metadata(m, ModelItemMetadata.Namespace), Metadata(m, ModelItemMetadata.ClassName), Metadata(m, ModelItemMetadata.Visibility)));
        var resolved = new ModelResolver(settings, diagnostics).Resolve(requests);
        hashCache.Save();
        resolveCache.Save();
        Log.Log(diagnostics);
        ResolvedModels = resolved.Select(ToItem).ToArray();
        return !Log.HasLoggedErrors;
    }

    private bool RunSnapshots(string manifestPath, string repositoryRoot)
    {
        var assetsFile = WriteQueryProviderAssets();
        return !Canceled && RunTrainer("snapshot", manifestPath, "", "", repositoryRoot,
            launch => launch with { UpdateLock = UpdateLock, RemoteCache = RemoteCacheSettings, QueryProviderAssetsFile = assetsFile });
    }

    private string? WriteQueryProviderAssets()
    {
        if (QueryProviderAssets.Length == 0)
        {
            return null;
        }
        var path = Path.Combine(ArtifactsRoot, ArtifactNames.QueryProviderAssets);
        Directory.CreateDirectory(ArtifactsRoot);
        Snapshots.QueryProviderAssets.Write(path, QueryProviderAssets.Select(ToAsset));
        return path;
    }

    /// <summary>NuGet's asset item as the trainer reads it (metadata as ResolvePackageAssets sets it).</summary>
    internal static Snapshots.QueryProviderAsset ToAsset(ITaskItem item) => new(
        string.Equals(item.GetMetadata("AssetType"), "native", StringComparison.OrdinalIgnoreCase),
        item.GetMetadata("RuntimeIdentifier"),
        item.GetMetadata("FullPath"));

    private static string? Metadata(ITaskItem item, string name)
    {
        var value = item.GetMetadata(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static ITaskItem ToItem(ResolvedModel model)
    {
        var item = LiteralTaskItems.Create(model.ManifestPath);
        item.SetLiteral(ModelItemMetadata.ModelName, model.Name);
        item.SetLiteral(ModelItemMetadata.ClassName, model.ClassName);
        item.SetLiteral(ModelItemMetadata.Namespace, model.Namespace);
        item.SetLiteral(ModelItemMetadata.Visibility, model.Visibility);
        item.SetLiteral(ModelItemMetadata.Fingerprint, model.Fingerprint);
        item.SetLiteral(ModelItemMetadata.ArtifactsDirectory, model.ArtifactsDirectory);
        item.SetLiteral(ModelItemMetadata.RepositoryRoot, model.RepositoryRoot);
        item.SetLiteral(ModelItemMetadata.OnnxPath, model.OnnxPath);
        item.SetLiteral(ModelItemMetadata.ModelCardPath, model.ModelCardPath);
        item.SetLiteral(ModelItemMetadata.MetricsPath, model.MetricsPath);
        item.SetLiteral(ModelItemMetadata.FingerprintPath, model.FingerprintPath);
        item.SetLiteral(ModelItemMetadata.InputStampPath, model.InputStampPath);
        item.SetLiteral(ModelItemMetadata.MonitoringPath, model.MonitoringPath);
        item.SetLiteral(ModelItemMetadata.ResourceName, model.ResourceName);
        item.SetLiteral(ModelItemMetadata.ProvenancePath, model.ProvenancePath);
        item.SetLiteral(ModelItemMetadata.ProvenanceResourceName, model.ProvenanceResourceName);
        item.SetLiteral(ModelItemMetadata.SignedProvenancePath, model.SignedProvenancePath);
        item.SetLiteral(ModelItemMetadata.SignedProvenanceResourceName, model.SignedProvenanceResourceName);
        item.SetLiteral(ModelItemMetadata.LockPath, model.LockPath);
        item.SetLiteral(ModelItemMetadata.RetrainReason, model.RetrainReason ?? "");
        // Empty unless the manifest names current data: the drift target filters on it.
        item.SetLiteral(ModelItemMetadata.DriftFingerprint, model.DriftFingerprint ?? "");
        item.SetLiteral(ModelItemMetadata.DriftInputStampPath, model.DriftFingerprint is null ? "" : model.DriftInputStampPath);
        item.SetLiteral(ModelItemMetadata.DriftReportPath, model.DriftFingerprint is null ? "" : model.DriftReportPath);
        return item;
    }
}

using MLOps.Build.IO;
using MLOps.Shared;

namespace MLOps.Build.Tasks.Resolve;

/// <summary>One <c>MLModel</c> item as the project declares it.</summary>
public sealed record ModelRequest(string ManifestPath, string? Namespace, string? ClassName, string? Visibility);

/// <summary>A manifest that parsed, whose data is verified, with everything the later targets need.</summary>
public sealed record ResolvedModel(
    string ManifestPath,
    string Name,
    string ClassName,
    string Namespace,
    string Visibility,
    string Fingerprint,
    string ArtifactsDirectory,
    string RepositoryRoot)
{
    public string OnnxPath => Path.Combine(ArtifactsDirectory, ArtifactNames.Onnx);
    public string ModelCardPath => Path.Combine(ArtifactsDirectory, ArtifactNames.ModelCard);
    public string MetricsPath => Path.Combine(ArtifactsDirectory, ArtifactNames.Metrics);
    public string FingerprintPath => Path.Combine(ArtifactsDirectory, ArtifactNames.Fingerprint);
    public string InputStampPath => Path.Combine(ArtifactsDirectory, ArtifactNames.InputStamp);

    /// <summary>The manifest's drift warning levels and gate bounds for the generated class (written on every manifest change).</summary>
    public string MonitoringPath => Path.Combine(ArtifactsDirectory, ArtifactNames.Monitoring);

    /// <summary>Set for a model whose artifacts are not current: what changed since it was last trained, in words.</summary>
    public string? RetrainReason { get; init; }

    /// <summary>Set when the manifest names <c>drift.current</c>: what the drift report depends on.</summary>
    public string? DriftFingerprint { get; init; }

    public string DriftInputStampPath => Path.Combine(ArtifactsDirectory, ArtifactNames.DriftInputStamp);
    public string DriftReportPath => Path.Combine(ArtifactsDirectory, ArtifactNames.DriftReport);

    /// <summary>The committed accepted-model lock file beside the manifest (it may not exist yet).</summary>
    public string LockPath => Artifacts.ModelLock.PathFor(ManifestPath);

    /// <summary>Stable, documented manifest resource name of the embedded ONNX model.</summary>
    public string ResourceName => ModelResources.Name(Name);

    /// <summary>The model's provenance statement, embedded beside it (<see cref="ProvenanceResourceName"/>).</summary>
    public string ProvenancePath => Path.Combine(ArtifactsDirectory, ArtifactNames.Provenance);

    public string ProvenanceResourceName => ModelResources.ProvenanceName(Name);

    /// <summary>The provenance signed, when the build has a signing key (embedded as <see cref="SignedProvenanceResourceName"/>).</summary>
    public string SignedProvenancePath => Path.Combine(ArtifactsDirectory, ArtifactNames.SignedProvenance);

    public string SignedProvenanceResourceName => ModelResources.SignedProvenanceName(Name);
}

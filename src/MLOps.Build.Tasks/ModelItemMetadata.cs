namespace MLOps.Build.Tasks;

/// <summary>
/// The metadata of an <c>MLOpsResolvedModel</c> item (written by <see cref="ResolveModels"/>, read by every later task
/// and by build/MLOps.Build.targets as <c>%(Name)</c>), and of the <c>MLModel</c> items a project declares: one name
/// each, so that a task cannot read what no one writes.
/// </summary>
internal static class ModelItemMetadata
{
    // MLModel items (the project's)
    public const string ClassName = nameof(ClassName);
    public const string Namespace = nameof(Namespace);
    public const string Visibility = nameof(Visibility);

    // MLOpsResolvedModel items
    public const string ModelName = nameof(ModelName);
    public const string Fingerprint = nameof(Fingerprint);
    public const string ArtifactsDirectory = nameof(ArtifactsDirectory);
    public const string RepositoryRoot = nameof(RepositoryRoot);
    public const string OnnxPath = nameof(OnnxPath);
    public const string ModelCardPath = nameof(ModelCardPath);
    public const string MetricsPath = nameof(MetricsPath);
    public const string FingerprintPath = nameof(FingerprintPath);
    public const string InputStampPath = nameof(InputStampPath);
    public const string MonitoringPath = nameof(MonitoringPath);
    public const string ResourceName = nameof(ResourceName);
    public const string ProvenancePath = nameof(ProvenancePath);
    public const string ProvenanceResourceName = nameof(ProvenanceResourceName);
    public const string SignedProvenancePath = nameof(SignedProvenancePath);
    public const string SignedProvenanceResourceName = nameof(SignedProvenanceResourceName);
    public const string LockPath = nameof(LockPath);

    /// <summary>Empty when the model is up to date; else what changed since it was last trained (<c>dotnet mlops status</c> shows it).</summary>
    public const string RetrainReason = nameof(RetrainReason);

    /// <summary>Empty unless the manifest names current data: the drift target filters on it.</summary>
    public const string DriftFingerprint = nameof(DriftFingerprint);
    public const string DriftInputStampPath = nameof(DriftInputStampPath);
    public const string DriftReportPath = nameof(DriftReportPath);

    /// <summary>Set by <see cref="ReadScoringEngines"/>: <c>compiled</c> or <c>onnxruntime</c>, from the model card.</summary>
    public const string ScoringEngine = nameof(ScoringEngine);

    /// <summary>Set by <see cref="ReadScoringEngines"/>: why ONNX Runtime scores the model; empty when compiled.</summary>
    public const string ScoringReason = nameof(ScoringReason);
}

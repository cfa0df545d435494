namespace MLOps.Build.IO;

public static class ArtifactNames
{
    public const string Onnx = "model.onnx";
    public const string ModelCard = "modelcard.json";
    public const string Metrics = "metrics.json";

    /// <summary>What a cache entry (local or remote) holds of a trained model; the fingerprint stamp is written on restore.</summary>
    public static readonly IReadOnlyList<string> Cached = [Onnx, ModelCard, Metrics];

    /// <summary>The model against the accepted one on the same test rows (<see cref="Artifacts.ModelComparison"/>); not cached.</summary>
    public const string Comparison = "comparison.json";

    /// <summary>The accepted model's ONNX file and card, put here by the build for the trainer to score the test rows with.</summary>
    public const string Accepted = "accepted";

    /// <summary>With a sweep: every trial, best first (the leaderboard).</summary>
    public const string SweepReport = "sweep.json";

    /// <summary>The folder of finished sweep trials (a <see cref="Caching.FolderEntryStore"/> keyed by trial fingerprint), so a sweep resumes.</summary>
    public const string Trials = "trials";

    /// <summary>Written last by the trainer: artifacts are trusted only when this matches the expected fingerprint.</summary>
    public const string Fingerprint = "fingerprint.txt";

    /// <summary>Written by the resolve step: the fingerprint's parts (settings, data hashes, tool), which the trainer records in the card.</summary>
    public const string InputParts = "inputs.parts.json";

    /// <summary>Written by the resolve step only when the fingerprint changes: the Inputs of the train target.</summary>
    public const string InputStamp = "inputs.fingerprint";

    /// <summary>Current data against the training data, for the drift analyzers; carries its inputs' fingerprint.</summary>
    public const string DriftReport = "drift.json";

    /// <summary>Written by the resolve step only when the drift inputs change: the Inputs of the drift target.</summary>
    public const string DriftInputStamp = "drift.inputs";

    /// <summary>The manifest's drift warning levels and gate bounds for the running service (<see cref="Artifacts.MonitoringSettings"/>).</summary>
    public const string Monitoring = "monitoring.json";

    /// <summary>The model's audit facts (<see cref="Provenance.ProvenanceStatement"/>), embedded beside the model.</summary>
    public const string Provenance = "provenance.json";

    /// <summary>The provenance signed (in-toto statement, DSSE envelope), when the build has a signing key.</summary>
    public const string SignedProvenance = "provenance.intoto.json";

    /// <summary>In the artifacts root: each data file's SHA-256 by its size and timestamp, so unchanged files are not read again.</summary>
    public const string FileHashCache = "filehashes.txt";

    /// <summary>In the artifacts root: each model's last resolution by the stamps of its manifest and data files.</summary>
    public const string ResolveCache = "resolved.txt";

    /// <summary>In the artifacts root: the project's package assets, where the trainer finds a plugged query provider.</summary>
    public const string QueryProviderAssets = "query-provider-assets.tsv";
}

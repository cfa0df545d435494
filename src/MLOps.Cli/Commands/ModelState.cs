using MLOps.Build.IO;
using MLOps.Build.Artifacts;
using MLOps.Cli.Projects;

namespace MLOps.Cli.Commands;

/// <summary>What the artifacts say about one model: trained for its current inputs or not, accepted or not, drift.</summary>
public sealed record ModelState(
    string Name,
    string State,
    string Reason,
    string Acceptance,
    IReadOnlyDictionary<string, double> Metrics,
    int? FeaturesDrifted,
    int? FeaturesChecked,
    bool? DatasetDrift,
    IReadOnlyList<DataSourceState> Data)
{
    public const string UpToDate = "up to date";
    public const string Stale = "stale";

    public static ModelState Of(ModelEntry model)
    {
        var trainedFor = File.Exists(model.FingerprintPath) ? File.ReadAllText(model.FingerprintPath).Trim() : null;
        // The build's own rule: the stamp names this fingerprint and every required artifact is there.
        var (state, reason) = trainedFor is null ? (Stale, "never trained")
            : ModelArtifacts.AreCurrent(model.ArtifactsDirectory, model.Fingerprint) ? (UpToDate, "")
            : trainedFor == model.Fingerprint ? (Stale, "an artifact of its last training is missing")
            : (Stale, model.RetrainReason is { Length: > 0 } why ? $"changed since it was trained: {why}" : "its manifest, data or the tool changed since it was trained");
        var card = File.Exists(model.ModelCardPath) ? ArtifactJson.Read(model.ModelCardPath, ArtifactJson.ModelCard) : null;
        // A damaged lock counts as none, as the build treats it (MLOPS3010).
        var accepted = ArtifactJson.ReadOrNull(model.LockPath, ArtifactJson.ModelLock);
        var acceptance = accepted is null ? "not accepted"
            : accepted.Fingerprint == model.Fingerprint && state == UpToDate ? "accepted"
            : "differs from the accepted model";
        var drift = File.Exists(model.DriftReportPath) ? ArtifactJson.Read(model.DriftReportPath, ArtifactJson.DriftReport) : null;
        return new ModelState(model.Name, state, reason, acceptance, card?.Metrics ?? new Dictionary<string, double>(),
            drift?.FeaturesDrifted, drift?.FeaturesChecked, drift?.DatasetDrift, DataSourceState.Of(card, drift));
    }
}

/// <summary>Where a data entry of the last training (or drift check) came from: a file or set, or a query's snapshot.</summary>
/// <param name="Engine">The query's engine; null for files.</param>
/// <param name="SqlSha256">The SQL text's hash; null for files.</param>
public sealed record DataSourceState(string Role, string Path, string? Sha256, long Rows, string? Engine, string? SqlSha256)
{
    public static IReadOnlyList<DataSourceState> Of(ModelCard? card, DriftReport? drift)
    {
        var sources = new List<DataSourceState>();
        if (card?.Data is { } data)
        {
            sources.Add(From("data.train", data.Train));
            if (data.Test is { } test)
            {
                sources.Add(From("data.test", test));
            }
        }
        if (drift?.Current is { } current)
        {
            sources.Add(new DataSourceState("drift.current", current.Path, current.Sha256, current.Rows, current.Query?.Engine, current.Query?.SqlSha256));
        }
        return sources;
    }

    private static DataSourceState From(string role, DataFileCard file) =>
        new(role, file.Path, file.Sha256, file.Rows, file.Query?.Engine, file.Query?.SqlSha256);

    /// <summary>"train: duckdb query 1a2b3c4d5e6f, 600 rows (snapshot 9c1e…)" or "train: data/train.csv, 600 rows".</summary>
    public string Describe()
    {
        var role = Role.Substring(Role.IndexOf('.') + 1);
        var rows = Rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        return Engine is null
            ? $"{role}: {Path}, {rows} rows"
            : $"{role}: {Engine} query {SqlSha256?.Substring(0, Math.Min(12, SqlSha256.Length))}, {rows} rows (snapshot {Sha256?.Substring(0, Math.Min(12, Sha256.Length))})";
    }
}

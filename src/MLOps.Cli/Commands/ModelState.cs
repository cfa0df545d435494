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
    bool? DatasetDrift)
{
    public const string UpToDate = "up to date";
    public const string Stale = "stale";

    public static ModelState Of(ModelEntry model)
    {
        var trainedFor = File.Exists(model.FingerprintPath) ? File.ReadAllText(model.FingerprintPath).Trim() : null;
        var (state, reason) = trainedFor is null ? (Stale, "never trained")
            : trainedFor == model.Fingerprint ? (UpToDate, "")
            : (Stale, "its manifest, data or the tool changed since it was trained");
        var card = File.Exists(model.ModelCardPath) ? ArtifactJson.Read(model.ModelCardPath, ArtifactJson.ModelCard) : null;
        var accepted = File.Exists(model.LockPath) ? ArtifactJson.Read(model.LockPath, ArtifactJson.ModelLock) : null;
        var acceptance = accepted is null ? "not accepted"
            : accepted.Fingerprint == model.Fingerprint && state == UpToDate ? "accepted"
            : "differs from the accepted model";
        var drift = File.Exists(model.DriftReportPath) ? ArtifactJson.Read(model.DriftReportPath, ArtifactJson.DriftReport) : null;
        return new ModelState(model.Name, state, reason, acceptance, card?.Metrics ?? new Dictionary<string, double>(),
            drift?.FeaturesDrifted, drift?.FeaturesChecked, drift?.DatasetDrift);
    }
}

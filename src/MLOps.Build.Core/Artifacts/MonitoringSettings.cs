using System.Text.Json.Serialization;
using MLOps.Build.Drift;
using MLOps.Build.Manifest;
using K = MLOps.Shared.MonitoringKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>monitoring.json</c>: what the manifest says about judging the model live, for the health check of a running
/// service. Written by the resolve step on every manifest change (gates and drift settings do not retrain, so the card
/// cannot carry them) and compiled into the generated class. The running service computes PSI only: a PSI threshold
/// the manifest sets (<c>"method": "psi"</c> with a <c>threshold</c>, for the section or a feature) is carried; other
/// methods' thresholds do not apply to it. Gates carry their absolute bounds; change bounds compare two builds and
/// stay in the build.
/// </summary>
public sealed record MonitoringSettings(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Model)] string Model,
    [property: JsonPropertyName(K.PsiWarning)] double? PsiWarning,
    [property: JsonPropertyName(K.FeaturePsiWarnings)] IReadOnlyDictionary<string, double> FeaturePsiWarnings,
    [property: JsonPropertyName(K.Gates)] IReadOnlyList<LiveGateSettings> Gates)
{
    public static MonitoringSettings From(ModelManifest manifest)
    {
        var drift = manifest.Drift;
        double? psiWarning = drift is { Method: DriftMethods.Psi, Threshold: { } threshold } ? threshold : null;
        var features = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var feature in drift?.Features ?? [])
        {
            var method = feature.Method ?? drift!.Method;
            if (method == DriftMethods.Psi && (feature.Threshold ?? drift!.Threshold) is { } featureThreshold && featureThreshold != psiWarning)
            {
                features[feature.Name] = featureThreshold;
            }
        }
        var gates = manifest.Gates.Where(g => g.Min is not null || g.Max is not null)
            .Select(g => new LiveGateSettings(g.Metric, g.Min, g.Max)).ToArray();
        return new MonitoringSettings(K.CurrentSchemaVersion, manifest.Name, psiWarning, features, gates);
    }
}

/// <summary>A quality gate's absolute bounds, checked against the live metric.</summary>
public sealed record LiveGateSettings(
    [property: JsonPropertyName(K.GateMetric)] string Metric,
    [property: JsonPropertyName(K.GateMin)] double? Min,
    [property: JsonPropertyName(K.GateMax)] double? Max);

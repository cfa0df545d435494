using MLOps.Build.Generators.Common;

namespace MLOps.Build.Generators.Drift;

/// <summary>What the drift analyzer reports from one drift.json.</summary>
internal sealed record DriftReportSpec(
    string Model,
    string CurrentPath,
    double Share,
    int FeaturesChecked,
    int FeaturesDrifted,
    bool DatasetDrift,
    ManifestPosition Location,
    EquatableArray<FeatureDriftSpec> Features,
    EstimateSpec? Estimate);

/// <summary>A classifier's accuracy estimated on the current data without labels, and the manifest's gates on it.</summary>
internal sealed record EstimateSpec(
    string Metric,
    double? Value,
    double? Margin,
    long Rows,
    string? Refused,
    EquatableArray<EstimateGateSpec> Gates);

internal sealed record EstimateGateSpec(string Metric, double? Min, double? Max, bool Passed, ManifestPosition Location);

internal sealed record FeatureDriftSpec(
    string Feature,
    string Statistic,
    double? Value,
    double Threshold,
    bool Drifted,
    double? Psi,
    string Method,
    ManifestPosition Location,
    double ReferenceMissingRate,
    double CurrentMissingRate,
    EquatableArray<string> UnseenCategories,
    long UnseenRows);

/// <summary>A 1-based place in the manifest.</summary>
internal sealed record ManifestPosition(string Path, int Line, int Column);

namespace MLOps.Build.Trainer.Drift;

/// <summary>
/// drift.json: the current data against the training data, per feature, for the drift analyzers (which read it
/// as an AdditionalFile) and for people. Bump <see cref="CurrentSchemaVersion"/> on any change a reader could trip over.
/// </summary>
public sealed record DriftReport(
    int SchemaVersion,
    string Model,
    string InputsFingerprint,
    string ModelFingerprint,
    DriftDataCard Reference,
    DriftDataCard Current,
    string Method,
    double Share,
    int FeaturesChecked,
    int FeaturesDrifted,
    bool DatasetDrift,
    ReportLocation Location,
    IReadOnlyList<FeatureDriftCard> Features)
{
    public const int CurrentSchemaVersion = 1;
}

public sealed record DriftDataCard(string Path, string? Sha256, long Rows);

/// <summary>A place in the manifest: where a feature's diagnostic points.</summary>
public sealed record ReportLocation(string Path, int Line, int Column);

/// <param name="Method">The method applied (never "auto").</param>
/// <param name="Value">The method's statistic (a p-value for ks and chisquare, else a distance); null when not computable.</param>
public sealed record FeatureDriftCard(
    string Feature,
    string Kind,
    string Method,
    string Statistic,
    double? Value,
    double Threshold,
    bool Drifted,
    ReportLocation Location,
    DriftStatisticsCard Statistics,
    double ReferenceMissingRate,
    double CurrentMissingRate,
    IReadOnlyList<string> UnseenCategories,
    long UnseenRows,
    long ReferenceRows,
    long CurrentRows);

/// <summary>Every statistic that applies to the feature's kind, whichever method decides.</summary>
public sealed record DriftStatisticsCard(
    double? Psi,
    double? KolmogorovSmirnov,
    double? KolmogorovSmirnovPValue,
    double? Wasserstein,
    double? ChiSquare,
    double? ChiSquarePValue,
    double? JensenShannon,
    double? LInfinity);

using System.Text.Json.Serialization;
using K = MLOps.Shared.DriftReportKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>drift.json</c>: the current data against the training data, per feature, for the drift analyzers (which read
/// it as an AdditionalFile through <see cref="MLOps.Shared.DriftReportKeys"/>) and for people. Bump
/// <see cref="CurrentSchemaVersion"/> on any change a reader could trip over.
/// </summary>
public sealed record DriftReport(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Model)] string Model,
    [property: JsonPropertyName(K.InputsFingerprint)] string InputsFingerprint,
    [property: JsonPropertyName(K.ModelFingerprint)] string ModelFingerprint,
    [property: JsonPropertyName(K.Reference)] DriftDataCard Reference,
    [property: JsonPropertyName(K.Current)] DriftDataCard Current,
    [property: JsonPropertyName(K.Method)] string Method,
    [property: JsonPropertyName(K.Share)] double Share,
    [property: JsonPropertyName(K.FeaturesChecked)] int FeaturesChecked,
    [property: JsonPropertyName(K.FeaturesDrifted)] int FeaturesDrifted,
    [property: JsonPropertyName(K.DatasetDrift)] bool DatasetDrift,
    [property: JsonPropertyName(K.Location)] ReportLocation Location,
    [property: JsonPropertyName(K.Features)] IReadOnlyList<FeatureDriftCard> Features)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>A classifier's accuracy on the current data, estimated without labels; null for other models.</summary>
    [JsonPropertyName(K.Estimate)]
    public EstimateCard? Estimate { get; init; }

    /// <summary>Captured current data (files with <c>mlops_time</c>) in windows of time; null for other data.</summary>
    [JsonPropertyName(K.Production)]
    public ProductionCard? Production { get; init; }
}

/// <summary>
/// <c>production</c>: the captured rows cut into windows of equal time from the first to the last, each compared with
/// the training data (PSI per feature) and, for a classifier, its accuracy estimated without labels and realized from
/// the outcomes captured beside the rows (the capture folder's <c>outcomes/</c>).
/// </summary>
/// <param name="Outcomes">Current rows whose outcome was captured.</param>
public sealed record ProductionCard(
    [property: JsonPropertyName(K.ProductionKeys.Windows)] IReadOnlyList<ProductionWindowCard> Windows,
    [property: JsonPropertyName(K.ProductionKeys.Outcomes)] long Outcomes);

/// <param name="Start">The window's first moment (UTC, ISO 8601).</param>
/// <param name="End">Its last: the next window's start, or the last row's time.</param>
/// <param name="Psi">Each compared feature's PSI against the training data over the window's rows.</param>
/// <param name="Estimated">The estimate over the window's rows; null without one.</param>
/// <param name="Realized">The accuracy over the window's rows whose outcome was captured; null without any.</param>
/// <param name="Outcomes">The window's rows with an outcome.</param>
public sealed record ProductionWindowCard(
    [property: JsonPropertyName(K.ProductionKeys.Start)] string Start,
    [property: JsonPropertyName(K.ProductionKeys.End)] string End,
    [property: JsonPropertyName(K.ProductionKeys.Rows)] long Rows,
    [property: JsonPropertyName(K.ProductionKeys.Psi)] IReadOnlyDictionary<string, double> Psi,
    [property: JsonPropertyName(K.ProductionKeys.Estimated)] double? Estimated,
    [property: JsonPropertyName(K.ProductionKeys.Realized)] double? Realized,
    [property: JsonPropertyName(K.ProductionKeys.Outcomes)] long Outcomes);

/// <summary>
/// <c>estimate</c>: the mean confidence of the current rows (<see cref="MLOps.Shared.ClassifierConfidence"/>), or why
/// it was refused, and the manifest's gates on it judged.
/// </summary>
/// <param name="Value">The estimate (the mean calibrated confidence); null when refused.</param>
/// <param name="MeanConfidence">The mean confidence before calibration; null when refused.</param>
/// <param name="Margin">Half its 95 % interval from sampling alone; the calibration error is a bias on top.</param>
/// <param name="CalibrationError">The calibrated confidence's, cross-fitted on the test set (model card); null for a model without probabilities.</param>
/// <param name="Refused">Why no estimate is given (calibration too poor, no probabilities); null when it is.</param>
public sealed record EstimateCard(
    [property: JsonPropertyName(K.EstimateKeys.Metric)] string Metric,
    [property: JsonPropertyName(K.EstimateKeys.Value)] double? Value,
    [property: JsonPropertyName(K.EstimateKeys.Margin)] double? Margin,
    [property: JsonPropertyName(K.EstimateKeys.Rows)] long Rows,
    [property: JsonPropertyName(K.EstimateKeys.TestValue)] double? TestValue,
    [property: JsonPropertyName(K.EstimateKeys.MeanConfidence)] double? MeanConfidence,
    [property: JsonPropertyName(K.EstimateKeys.CalibrationError)] double? CalibrationError,
    [property: JsonPropertyName(K.EstimateKeys.MaxCalibrationError)] double MaxCalibrationError,
    [property: JsonPropertyName(K.EstimateKeys.Refused)] string? Refused,
    [property: JsonPropertyName(K.EstimateKeys.Gates)] IReadOnlyList<EstimateGateCard> Gates);

/// <summary>A gate on the estimate (<c>"metric": "estimated.MicroAccuracy"</c>) and whether it passed; a refused estimate passes none.</summary>
public sealed record EstimateGateCard(
    [property: JsonPropertyName(K.EstimateKeys.GateMetric)] string Metric,
    [property: JsonPropertyName(K.EstimateKeys.GateMin)] double? Min,
    [property: JsonPropertyName(K.EstimateKeys.GateMax)] double? Max,
    [property: JsonPropertyName(K.EstimateKeys.GatePassed)] bool Passed,
    [property: JsonPropertyName(K.EstimateKeys.GateLocation)] ReportLocation Location);

public sealed record DriftDataCard(
    [property: JsonPropertyName(K.DataFile.Path)] string Path,
    [property: JsonPropertyName(K.DataFile.Sha256)] string? Sha256,
    [property: JsonPropertyName(K.DataFile.Rows)] long Rows)
{
    /// <summary>The query whose snapshot this is; null for files.</summary>
    [JsonPropertyName(K.DataFile.Query)]
    public QuerySourceCard? Query { get; init; }
}

/// <summary>A place in the manifest: where a feature's diagnostic points.</summary>
public sealed record ReportLocation(
    [property: JsonPropertyName(K.Position.Path)] string Path,
    [property: JsonPropertyName(K.Position.Line)] int Line,
    [property: JsonPropertyName(K.Position.Column)] int Column);

/// <param name="Method">The method applied (never "auto").</param>
/// <param name="Value">The method's statistic (a p-value for ks and chisquare, else a distance); null when not computable.</param>
public sealed record FeatureDriftCard(
    [property: JsonPropertyName(K.Feature.Name)] string Feature,
    [property: JsonPropertyName(K.Feature.Kind)] string Kind,
    [property: JsonPropertyName(K.Feature.Method)] string Method,
    [property: JsonPropertyName(K.Feature.Statistic)] string Statistic,
    [property: JsonPropertyName(K.Feature.Value)] double? Value,
    [property: JsonPropertyName(K.Feature.Threshold)] double Threshold,
    [property: JsonPropertyName(K.Feature.Drifted)] bool Drifted,
    [property: JsonPropertyName(K.Feature.Location)] ReportLocation Location,
    [property: JsonPropertyName(K.Feature.Statistics)] DriftStatisticsCard Statistics,
    [property: JsonPropertyName(K.Feature.ReferenceMissingRate)] double ReferenceMissingRate,
    [property: JsonPropertyName(K.Feature.CurrentMissingRate)] double CurrentMissingRate,
    [property: JsonPropertyName(K.Feature.UnseenCategories)] IReadOnlyList<string> UnseenCategories,
    [property: JsonPropertyName(K.Feature.UnseenRows)] long UnseenRows,
    [property: JsonPropertyName(K.Feature.ReferenceRows)] long ReferenceRows,
    [property: JsonPropertyName(K.Feature.CurrentRows)] long CurrentRows)
{
    /// <summary>Training and current rows per bin, for the report's overlaid histograms; null when not computed.</summary>
    [JsonPropertyName(K.Feature.Bins)]
    public DriftBinsCard? Bins { get; init; }
}

/// <summary>
/// Rows per bin in the training and the current data: a numeric feature's training quantile bins (<see cref="Edges"/>),
/// or a categorical feature's most frequent categories (<see cref="Categories"/>, the rest left out).
/// </summary>
public sealed record DriftBinsCard(
    [property: JsonPropertyName(K.Feature.BinEdges)] IReadOnlyList<double>? Edges,
    [property: JsonPropertyName(K.Feature.BinCategories)] IReadOnlyList<string>? Categories,
    [property: JsonPropertyName(K.Feature.BinReference)] IReadOnlyList<long> Reference,
    [property: JsonPropertyName(K.Feature.BinCurrent)] IReadOnlyList<long> Current);

/// <summary>Every statistic that applies to the feature's kind, whichever method decides.</summary>
public sealed record DriftStatisticsCard(
    [property: JsonPropertyName(K.Statistics.Psi)] double? Psi,
    [property: JsonPropertyName(K.Statistics.KolmogorovSmirnov)] double? KolmogorovSmirnov,
    [property: JsonPropertyName(K.Statistics.KolmogorovSmirnovPValue)] double? KolmogorovSmirnovPValue,
    [property: JsonPropertyName(K.Statistics.Wasserstein)] double? Wasserstein,
    [property: JsonPropertyName(K.Statistics.ChiSquare)] double? ChiSquare,
    [property: JsonPropertyName(K.Statistics.ChiSquarePValue)] double? ChiSquarePValue,
    [property: JsonPropertyName(K.Statistics.JensenShannon)] double? JensenShannon,
    [property: JsonPropertyName(K.Statistics.LInfinity)] double? LInfinity);

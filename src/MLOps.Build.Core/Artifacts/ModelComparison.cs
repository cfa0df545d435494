using System.Text.Json.Serialization;
using MLOps.Build.Comparisons;
using K = MLOps.Shared.ModelComparisonKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>comparison.json</c>, beside the artifacts: the model and the accepted one (the lock file's) scored on the same
/// test rows, each metric's difference with its paired bootstrap interval. It belongs to one pair of fingerprints, so
/// a lock that changed since makes it stale rather than wrong; it is not part of a cache entry.
/// </summary>
/// <param name="Problem">Why there are no intervals (the accepted model cannot score these rows); null when there are.</param>
public sealed record ModelComparison(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.AcceptedFingerprint)] string AcceptedFingerprint,
    [property: JsonPropertyName(K.AcceptedModelSha256)] string AcceptedModelSha256,
    [property: JsonPropertyName(K.Rows)] int Rows,
    [property: JsonPropertyName(K.Level)] double Level,
    [property: JsonPropertyName(K.Resamples)] int Resamples,
    [property: JsonPropertyName(K.Seed)] int Seed,
    [property: JsonPropertyName(K.Metrics)] IReadOnlyDictionary<string, MetricComparison> Metrics,
    [property: JsonPropertyName(K.Problem)] string? Problem)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Whether this comparison is of exactly these two models: this build's by fingerprint, the accepted one by its bytes (the lock's fingerprint may be an older tool's).</summary>
    public bool Compares(string fingerprint, ModelLock accepted) =>
        Fingerprint == fingerprint && AcceptedModelSha256 == accepted.ModelSha256;

    /// <summary>
    /// The trainer's comparison in <paramref name="artifactsDirectory"/> when it is of exactly the model of
    /// <paramref name="fingerprint"/> and the <paramref name="accepted"/> one; null when there is none, it is of other
    /// models, or it cannot be read (a comparison is a report's detail: its absence fails nothing).
    /// </summary>
    public static ModelComparison? Read(string artifactsDirectory, string fingerprint, ModelLock accepted) =>
        ArtifactJson.ReadOrNull(Path.Combine(artifactsDirectory, IO.ArtifactNames.Comparison), ArtifactJson.ModelComparison) is { } comparison
        && comparison.Compares(fingerprint, accepted) ? comparison : null;
}

/// <summary>One metric of both models on the same rows: the current model's minus the accepted model's, and its interval.</summary>
public sealed record MetricComparison(
    [property: JsonPropertyName(K.Metric.Accepted)] double Accepted,
    [property: JsonPropertyName(K.Metric.Current)] double Current,
    [property: JsonPropertyName(K.Metric.Difference)] double Difference,
    [property: JsonPropertyName(K.Metric.Lower)] double Lower,
    [property: JsonPropertyName(K.Metric.Upper)] double Upper)
{
    /// <summary>The interval excludes zero: the difference is more than the test set's sampling noise.</summary>
    [JsonIgnore]
    public bool IsSignificant => Lower > 0 || Upper < 0;

    /// <summary>"-0.0213 (95% interval -0.0351 to -0.0062)", with the level of <paramref name="comparison"/>.</summary>
    public string Describe(ModelComparison comparison) =>
        $"{Signed(Difference)} ({Percent(comparison.Level)} interval {Number(Lower)} to {Number(Upper)})";

    /// <summary>The interval shows the change is on the side of <paramref name="increase"/> (a rise) or of a fall, beyond noise.</summary>
    public bool IsSignificantChange(bool increase) => increase ? Lower > 0 : Upper < 0;

    internal static string Number(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Signed(double value) => (value > 0 ? "+" : "") + Number(value);

    private static string Percent(double level) => (level * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static MetricComparison From(double accepted, DifferenceInterval interval) =>
        new(accepted, accepted + interval.Difference, interval.Difference, interval.Lower, interval.Upper);
}

using MLOps.Build.Generators.Common;
using static MLOps.Build.Generators.Common.JsonObject;
using E = MLOps.Shared.DriftReportKeys.EstimateKeys;
using K = MLOps.Shared.DriftReportKeys;

namespace MLOps.Build.Generators.Drift;

/// <summary>Reads drift.json (written by the build's drift check) into a <see cref="DriftReportSpec"/>.</summary>
internal static class DriftReportParser
{
    public const int SupportedSchemaVersion = 1;

    /// <summary>The report, or the reason it cannot be used.</summary>
    public static (DriftReportSpec? Report, string? Problem) Parse(string text)
    {
        try
        {
            var root = ParseObject(text, "report");
            var version = (int)Number(root, K.SchemaVersion);
            if (version != SupportedSchemaVersion)
            {
                return (null, $"it has schema version {version} and this MLOps.Build reads version {SupportedSchemaVersion}");
            }
            var features = Objects(root, K.Features).Select(f => new FeatureDriftSpec(
                String(f, K.Feature.Name),
                String(f, K.Feature.Statistic),
                OptionalNumber(f, K.Feature.Value),
                Number(f, K.Feature.Threshold),
                Boolean(f, K.Feature.Drifted),
                OptionalNumber(Object(f, K.Feature.Statistics), K.Statistics.Psi),
                String(f, K.Feature.Method),
                Position(Object(f, K.Feature.Location)),
                Number(f, K.Feature.ReferenceMissingRate),
                Number(f, K.Feature.CurrentMissingRate),
                Strings(f, K.Feature.UnseenCategories).ToEquatableArray(),
                (long)Number(f, K.Feature.UnseenRows))).ToEquatableArray();
            return (new DriftReportSpec(String(root, K.Model), String(Object(root, K.Current), K.DataFile.Path), Number(root, K.Share),
                (int)Number(root, K.FeaturesChecked), (int)Number(root, K.FeaturesDrifted), Boolean(root, K.DatasetDrift),
                Position(Object(root, K.Location)), features, Estimate(OptionalObject(root, K.Estimate))), null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The <c>estimate</c> section; absent for models that are not classifiers (and reports of older builds).</summary>
    private static EstimateSpec? Estimate(MiniJsonObject? estimate) => estimate is null ? null : new EstimateSpec(
        String(estimate, E.Metric),
        OptionalNumber(estimate, E.Value),
        OptionalNumber(estimate, E.Margin),
        (long)Number(estimate, E.Rows),
        OptionalString(estimate, E.Refused),
        Objects(estimate, E.Gates).Select(g => new EstimateGateSpec(
            String(g, E.GateMetric), OptionalNumber(g, E.GateMin), OptionalNumber(g, E.GateMax), Boolean(g, E.GatePassed),
            Position(Object(g, E.GateLocation)))).ToEquatableArray());

    private static ManifestPosition Position(MiniJsonObject location) =>
        new(String(location, K.Position.Path), (int)Number(location, K.Position.Line), (int)Number(location, K.Position.Column));
}

using MLOps.Build.Generators.Common;
using static MLOps.Build.Generators.Common.JsonObject;
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
                Position(Object(root, K.Location)), features), null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return (null, ex.Message);
        }
    }

    private static ManifestPosition Position(MiniJsonObject location) =>
        new(String(location, K.Position.Path), (int)Number(location, K.Position.Line), (int)Number(location, K.Position.Column));
}

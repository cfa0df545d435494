using MLOps.Build.Generators.Common;
using static MLOps.Build.Generators.Common.JsonObject;

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
            var root = MiniJson.Parse(text) as Dictionary<string, object?> ?? throw new FormatException("the report is not a JSON object");
            var version = (int)Number(root, "schemaVersion");
            if (version != SupportedSchemaVersion)
            {
                return (null, $"it has schema version {version} and this MLOps.Build reads version {SupportedSchemaVersion}");
            }
            var features = List(root, "features").Cast<Dictionary<string, object?>>().Select(f => new FeatureDriftSpec(
                String(f, "feature"),
                String(f, "statistic"),
                Get(f, "value") as double?,
                Number(f, "threshold"),
                Get(f, "drifted") is true,
                (Get(f, "statistics") as Dictionary<string, object?>)?.TryGetValue("psi", out var psi) == true ? psi as double? : null,
                String(f, "method"),
                Position(f),
                Number(f, "referenceMissingRate"),
                Number(f, "currentMissingRate"),
                List(f, "unseenCategories").Select(c => (string)c!).ToEquatableArray(),
                (long)Number(f, "unseenRows"))).ToEquatableArray();
            var current = (Dictionary<string, object?>)Get(root, "current")!;
            return (new DriftReportSpec(String(root, "model"), String(current, "path"), Number(root, "share"),
                (int)Number(root, "featuresChecked"), (int)Number(root, "featuresDrifted"), Get(root, "datasetDrift") is true,
                Position(root), features), null);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or KeyNotFoundException or NullReferenceException or OverflowException)
        {
            return (null, ex.Message);
        }
    }

    private static ManifestPosition Position(Dictionary<string, object?> node)
    {
        var location = (Dictionary<string, object?>)Get(node, "location")!;
        return new ManifestPosition(String(location, "path"), (int)Number(location, "line"), (int)Number(location, "column"));
    }
}

using MLOps.Build.Generators.Common;
using static MLOps.Build.Generators.Common.JsonObject;
using K = MLOps.Shared.MonitoringKeys;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>
/// Turns monitoring.json (written by the resolve step from the manifest) into a <see cref="MonitoringSpec"/>: the
/// health check's defaults. Features are named by column there and by graph input here, as the drift monitor names them.
/// </summary>
internal static class MonitoringParser
{
    /// <exception cref="FormatException">Not the format.</exception>
    public static MonitoringSpec Parse(string? text, EquatableArray<InputSpec> inputs)
    {
        if (text is null)
        {
            return MonitoringSpec.None;
        }
        var root = ParseObject(text, "monitoring settings");
        var version = (int)Number(root, K.SchemaVersion);
        if (version != K.CurrentSchemaVersion)
        {
            // Written by the same package as this generator; another version is a stale file that the next resolve replaces.
            return MonitoringSpec.None;
        }
        var byColumn = inputs.GroupBy(i => i.Column, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().OnnxName, StringComparer.Ordinal);
        var features = (OptionalObject(root, K.FeaturePsiWarnings) ?? new MiniJsonObject())
            .Where(f => f.Value is double && byColumn.ContainsKey(f.Key))
            .Select(f => new MetricSpec(byColumn[f.Key], (double)f.Value!))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToEquatableArray();
        // Metric names are checked against the task's catalog by the manifest parser; a longer one cannot be one.
        var gates = (Get(root, K.Gates) is null ? [] : Objects(root, K.Gates))
            .Select(g => new GateBoundsSpec(String(g, K.GateMetric), OptionalNumber(g, K.GateMin), OptionalNumber(g, K.GateMax)))
            .Where(g => g.Metric.Length <= 64)
            .ToEquatableArray();
        return new MonitoringSpec(OptionalNumber(root, K.PsiWarning), features, gates);
    }
}

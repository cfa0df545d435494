namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Which live metrics are better lower. The build's owner of metric directions is MLOps.Build.Core's MetricCatalog,
/// which an app never references; a test keeps this list in step with it for every metric live outcomes produce.
/// </summary>
public static class LiveMetricDirections
{
    private static readonly HashSet<string> LowerIsBetterNames = new(StringComparer.Ordinal)
    {
        "LogLoss", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError",
    };

    /// <summary>Whether a lower value of <paramref name="metric"/> is better (log-loss, errors); otherwise higher is.</summary>
    public static bool LowerIsBetter(string metric) => LowerIsBetterNames.Contains(metric);
}

using MLOps.Runtime.Monitoring;

namespace OpenTelemetry.Metrics;

/// <summary>OpenTelemetry's meter provider sees MLOps.Runtime's instruments.</summary>
public static class MLOpsMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the <c>MLOps.Runtime</c> meter: predictions, latency, drift per feature and window, outcomes and live
    /// metrics (names in the Production guide).
    /// </summary>
    public static MeterProviderBuilder AddMLOpsInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(DriftMonitor.MeterName);
    }
}

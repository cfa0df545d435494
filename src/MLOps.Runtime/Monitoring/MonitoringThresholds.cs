namespace MLOps.Runtime.Monitoring;

/// <summary>
/// What the model's manifest says about judging it live, compiled into the generated class: the health check's
/// defaults, which configuration overrides. Only PSI thresholds the manifest sets are here (the running service
/// computes PSI, not the build's other drift statistics), and only gates' absolute bounds (change bounds compare two
/// builds).
/// </summary>
public sealed class MonitoringThresholds
{
    /// <summary>No thresholds: the manifest sets none, or the model was imported.</summary>
    public static MonitoringThresholds None { get; } = new();

    /// <summary>The manifest's PSI threshold for every feature (<c>drift</c> with <c>"method": "psi"</c> and a <c>threshold</c>); null: none set.</summary>
    public double? DriftWarning { get; init; }

    /// <summary>PSI thresholds the manifest sets for single features (<c>drift.features</c>), by the drift monitor's feature name.</summary>
    public IReadOnlyDictionary<string, double> FeatureDriftWarnings { get; init; } = new Dictionary<string, double>();

    /// <summary>The manifest's quality gates with an absolute bound, checked against the live metrics.</summary>
    public IReadOnlyList<LiveGate> Gates { get; init; } = [];
}

/// <summary>A quality gate checked live: the metric (ML.NET's name) must stay within <see cref="Min"/> and <see cref="Max"/>.</summary>
/// <param name="Metric">The metric, as <see cref="OutcomeTracker.LiveMetrics"/> names it.</param>
/// <param name="Min">The lowest acceptable value; null: none.</param>
/// <param name="Max">The highest acceptable value; null: none.</param>
public sealed record LiveGate(string Metric, double? Min, double? Max);

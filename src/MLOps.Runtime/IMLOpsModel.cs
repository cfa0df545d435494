namespace MLOps.Runtime;

/// <summary>
/// What every class MLOps.Build generates offers a host (MLOps.Runtime.Hosting's <c>AddMLOpsModel&lt;TModel&gt;</c>):
/// loading the embedded model with options, its name, and its monitors.
/// </summary>
/// <typeparam name="TSelf">The generated class.</typeparam>
public interface IMLOpsModel<TSelf> : IDisposable
    where TSelf : class, IMLOpsModel<TSelf>
{
    /// <summary>The model's name (the manifest's <c>name</c>): its configuration section and the <c>mlops.model</c> tag.</summary>
    static abstract string ModelName { get; }

    /// <summary>What the manifest says about judging the model live (drift warning levels, gates): the health check's defaults.</summary>
    static abstract Monitoring.MonitoringThresholds Thresholds { get; }

    /// <summary>Loads the model MLOps.Build embedded in the assembly.</summary>
    static abstract TSelf Load(ModelSessionOptions? options = null);

    /// <summary>What scores this instance.</summary>
    ScoringEngine Engine { get; }

    /// <summary>The drift monitor, when loaded with <see cref="ModelSessionOptions.MonitorDrift"/>.</summary>
    Monitoring.DriftMonitor? DriftMonitor { get; }

    /// <summary>Traffic capture, when loaded with <see cref="ModelSessionOptions.CaptureDirectory"/> and a sample rate.</summary>
    Monitoring.TrafficCapture? Capture { get; }

    /// <summary>The outcome tracker, when a trained model was loaded with <see cref="ModelSessionOptions.TrackOutcomes"/>.</summary>
    Monitoring.OutcomeTracker? Outcomes { get; }
}

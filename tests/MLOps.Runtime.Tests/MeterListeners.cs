namespace MLOps.Runtime.Tests;

/// <summary>
/// Tests that score monitored models or listen to the MLOps.Runtime meter run one after another: a MeterListener sees
/// every model's instruments in the process, so a monitored model scored by a parallel test would count in its figures.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MeterListeners
{
    public const string Name = "MLOps.Runtime meter listeners";
}

namespace MLOps.Runtime.Tests;

/// <summary>A clock the test moves: drift windows and outcome windows follow it.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

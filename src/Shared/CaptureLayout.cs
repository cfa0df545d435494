namespace MLOps.Shared;

/// <summary>
/// How a capture folder is laid out: what the running service writes (traffic capture) and the build reads back (the
/// drift check's production windows, <c>dotnet mlops data add</c>). Scored rows go to
/// <c>capture-&lt;model&gt;-….parquet</c> at the folder's top, outcomes to <c>outcomes/outcomes-&lt;model&gt;-….parquet</c>,
/// so that the folder's files are one table (<c>drift.current</c> may name the folder).
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class CaptureLayout
{
    /// <summary>The first column of every captured file: when the row was scored or the outcome recorded (UTC).</summary>
    public const string TimeColumn = "mlops_time";

    /// <summary>The second column: the key of a keyed prediction (null for others).</summary>
    public const string KeyColumn = "mlops_key";

    /// <summary>The value column of an outcomes file: the actual class, label or value.</summary>
    public const string OutcomeColumn = "mlops_outcome";

    /// <summary>The prefix of a captured output's column (<c>mlops_PredictedLabel</c>, <c>mlops_Score_0</c>).</summary>
    public const string OutputPrefix = "mlops_";

    /// <summary>The sub-folder outcomes are written to.</summary>
    public const string OutcomesFolder = "outcomes";

    /// <summary>The first part of a file of scored rows.</summary>
    public const string CaptureKind = "capture";

    /// <summary>The first part of a file of outcomes.</summary>
    public const string OutcomesKind = "outcomes";
}

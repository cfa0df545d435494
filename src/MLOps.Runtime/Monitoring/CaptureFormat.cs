namespace MLOps.Runtime.Monitoring;

/// <summary>
/// How traffic capture writes one file of rows. MLOps.Runtime.Hosting's <c>ParquetCaptureFormat</c> writes Parquet (the
/// hosting section sets it); MLOps.Runtime itself carries no file format, so that an app without capture publishes with
/// Native AOT free of any library's trimming warnings.
/// </summary>
public abstract class CaptureFormat
{
    /// <summary>The file name extension, with its dot (".parquet").</summary>
    public abstract string Extension { get; }

    /// <summary>Writes <paramref name="rows"/> as one complete file to <paramref name="stream"/>.</summary>
    /// <param name="stream">The file, created empty.</param>
    /// <param name="columns">The value columns, in the order of <see cref="CapturedRow.Values"/>; the time and key come first in a file.</param>
    /// <param name="rows">The rows, oldest first.</param>
    public abstract Task WriteAsync(Stream stream, IReadOnlyList<CaptureColumn> columns, IReadOnlyList<CapturedRow> rows);
}

/// <summary>A value column of a captured file.</summary>
/// <param name="Name">Its name: the graph input's, or <c>mlops_</c> and the output's (and the element's index).</param>
/// <param name="Kind">Its element type; a value is null when missing (a NaN number, a null string).</param>
public sealed record CaptureColumn(string Name, TensorKind Kind)
{
    /// <summary>The first column of a captured file: when the row was scored (UTC).</summary>
    public const string Time = MLOps.Shared.CaptureLayout.TimeColumn;

    /// <summary>The second column: the key of a keyed prediction, else null.</summary>
    public const string Key = MLOps.Shared.CaptureLayout.KeyColumn;

    /// <summary>The value column of an outcomes file (<see cref="TrafficCapture.OutcomesDirectory"/>): the actual class, label or value.</summary>
    public const string Outcome = MLOps.Shared.CaptureLayout.OutcomeColumn;
}

/// <summary>One captured row.</summary>
/// <param name="Time">When it was scored (UTC).</param>
/// <param name="Key">The key of a keyed prediction; null otherwise.</param>
/// <param name="Values">The values of the value columns, boxed (a float, double, int, long, bool or string), null when missing.</param>
public readonly record struct CapturedRow(DateTime Time, string? Key, object?[] Values);

namespace MLOps.Shared;

/// <summary>
/// The numeric parts a date or datetime feature is expanded into, in this order, by the trainer (training data and
/// parity rows) and by the generated scoring class (through <c>MLOps.Runtime.DateFeatures</c>): one rule, so that a
/// model sees the same numbers at training and at scoring. Parts are of the wall-clock time as written; an offset
/// (<c>+02:00</c>, <c>Z</c>) is not converted. A missing date is NaN in every part (imputed like any number).
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class DateParts
{
    public static readonly string[] DateNames = ["year", "month", "day", "dayOfWeek", "dayOfYear"];

    public static readonly string[] DateTimeNames = ["year", "month", "day", "dayOfWeek", "dayOfYear", "hour", "minute"];

    /// <summary>Parts of a date (5) or a datetime (7).</summary>
    public static int Count(bool withTime) => withTime ? DateTimeNames.Length : DateNames.Length;

    /// <summary>Part <paramref name="index"/> of a value: year, month (1–12), day (1–31), day of week (Sunday 0), day of year, hour, minute.</summary>
    public static float Part(System.DateTime value, int index) => index switch
    {
        0 => value.Year,
        1 => value.Month,
        2 => value.Day,
        3 => (int)value.DayOfWeek,
        4 => value.DayOfYear,
        5 => value.Hour,
        6 => value.Minute,
        _ => throw new System.ArgumentOutOfRangeException(nameof(index), index, "a date has 7 parts at most"),
    };
}

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// A sliding window of recent traffic the drift monitor reports on besides everything scored since it started: a
/// month of normal traffic no longer dilutes yesterday's shift. The window is kept as <see cref="Buckets"/> periods
/// of <see cref="Length"/> / <see cref="Buckets"/> each; the figures cover the current period and the ones before it
/// within the window (between <see cref="Length"/> minus one period and <see cref="Length"/> of traffic).
/// </summary>
public sealed class DriftWindow
{
    /// <param name="length">How much recent traffic the window covers, at least one second.</param>
    /// <param name="buckets">Periods it is kept in (2 to 120); more follow the window's edge more closely.</param>
    public DriftWindow(TimeSpan length, int buckets = 12)
    {
        if (length < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A drift window covers at least one second.");
        }
        if (buckets is < 2 or > 120)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "A drift window is kept in 2 to 120 periods.");
        }
        Length = length;
        Buckets = buckets;
        Name = Format(length);
    }

    /// <summary>How much recent traffic the window covers.</summary>
    public TimeSpan Length { get; }

    /// <summary>The periods it is kept in.</summary>
    public int Buckets { get; }

    /// <summary>The window's name in instruments (the <c>mlops.window</c> tag) and results: "15m", "1h", "1d", "90s".</summary>
    public string Name { get; }

    /// <summary>The length of one period: the window's length over its buckets.</summary>
    public TimeSpan Period => TimeSpan.FromTicks(Math.Max(1, Length.Ticks / Buckets));

    /// <summary>The period a moment falls in (periods are counted from 0001-01-01 UTC).</summary>
    internal long PeriodOf(long utcTicks) => utcTicks / Period.Ticks;

    /// <summary>
    /// A window from its name as configuration writes it: a whole number and s, m, h or d ("90s", "15m", "1h", "1d"),
    /// the inverse of <see cref="Name"/>.
    /// </summary>
    /// <exception cref="FormatException">The text is no such length.</exception>
    public static DriftWindow Parse(string text) => new(ParseLength(text, "drift window length"));

    /// <summary>A length as configuration writes it (a whole number and s, m, h or d): one syntax for every duration setting.</summary>
    /// <param name="text">The length as written.</param>
    /// <param name="what">What the setting is, for the message ("drift window length").</param>
    /// <exception cref="FormatException">The text is no such length.</exception>
    public static TimeSpan ParseLength(string text, string what)
    {
        var value = (text ?? "").Trim();
        if (value.Length >= 2 && long.TryParse(value.AsSpan(0, value.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (value[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }
        // Configuration text can be anything: cut and with line breaks shown, so that the error stays one short line.
        throw new FormatException($"'{MLOps.Shared.InvisibleCharacters.Shown(MLOps.Shared.TextLimits.Quoted(text ?? ""))}' is not a {what}; write a whole number and s, m, h or d, such as \"15m\" or \"1h\".");
    }

    /// <summary>
    /// Checks that <paramref name="window"/> (null: <see cref="AllTime"/>) names <see cref="AllTime"/> or one of
    /// <paramref name="windows"/>, and returns the name: one rule and one message for every figure asked for by window.
    /// </summary>
    /// <param name="window">The window asked for.</param>
    /// <param name="windows">The windows there are besides all time.</param>
    /// <param name="holder">What holds the windows, for the message ("monitor", "tracker").</param>
    /// <exception cref="ArgumentException">No such window.</exception>
    internal static string Check(string? window, IReadOnlyList<DriftWindow> windows, string holder)
    {
        var name = window ?? AllTime;
        if (name != AllTime && !windows.Any(w => w.Name == name))
        {
            throw new ArgumentException($"No window '{name}'; this {holder} has {string.Join(", ", windows.Select(w => w.Name).Prepend(AllTime))}.", nameof(window));
        }
        return name;
    }

    /// <summary>The window everything since the monitor started is reported under.</summary>
    public const string AllTime = "all";

    private static string Format(TimeSpan length) =>
        length.TotalDays >= 1 && length.TotalDays % 1 == 0 ? $"{length.TotalDays:0}d"
        : length.TotalHours >= 1 && length.TotalHours % 1 == 0 ? $"{length.TotalHours:0}h"
        : length.TotalMinutes >= 1 && length.TotalMinutes % 1 == 0 ? $"{length.TotalMinutes:0}m"
        : $"{Math.Floor(length.TotalSeconds):0}s";
}

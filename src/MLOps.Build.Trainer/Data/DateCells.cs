using System.Globalization;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// How a date cell reads: ISO-8601 (date, date and time with optional seconds, fraction and offset, 'T' or a space
/// between) unless the manifest gives a .NET custom format. The value is the wall-clock time as written.
/// </summary>
public static class DateCells
{
    private static readonly string[] IsoFormats = BuildIsoFormats();

    public static bool TryParse(ReadOnlySpan<char> text, string? format, out DateTime value)
    {
        if (format is not null)
        {
            return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);
        }
        // Cheap rejection first: inference tries every cell of every text column.
        if (text.Length < 10 || text.Length > 35 || !char.IsAsciiDigit(text[0]) || text[4] != '-')
        {
            value = default;
            return false;
        }
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
        {
            value = offset.DateTime;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Whether an ISO cell has a time of day (inference: "date" or "datetime").</summary>
    public static bool HasTime(ReadOnlySpan<char> text) => text.Length > 10;

    private static string[] BuildIsoFormats()
    {
        var formats = new List<string> { "yyyy-MM-dd" };
        foreach (var separator in new[] { "'T'", " " })
        {
            foreach (var time in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
            {
                foreach (var zone in new[] { "", "K", "zzz" })
                {
                    formats.Add($"yyyy-MM-dd{separator}{time}{zone}");
                }
            }
        }
        return [.. formats];
    }
}

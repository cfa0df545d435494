using System.Globalization;

namespace MLOps.Runtime.Hosting;

/// <summary>Window lengths as configuration writes them: a whole number and s, m, h or d ("90s", "15m", "1h", "1d").</summary>
internal static class WindowLength
{
    public static TimeSpan Parse(string text)
    {
        var value = (text ?? "").Trim();
        if (value.Length >= 2 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (value[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }
        throw new FormatException($"'{text}' is not a drift window length; write a whole number and s, m, h or d, such as \"15m\" or \"1h\".");
    }
}

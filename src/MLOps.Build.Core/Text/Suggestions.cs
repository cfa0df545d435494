namespace MLOps.Build.Text;

/// <summary>"Did you mean …?" for misspelt keys, trainers, metrics and options.</summary>
public static class Suggestions
{
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
            var distance = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Allow about one edit in three characters: close enough to be a typo, not a different word.
        return best is not null && bestDistance <= Math.Max(1, value.Length / 3) ? best : null;
    }

    public static string DidYouMean(string value, IEnumerable<string> candidates)
    {
        var closest = Closest(value, candidates);
        return closest is null ? "" : $" Did you mean '{closest}'?";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

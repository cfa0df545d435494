namespace MLOps.Build.Trainer.Data;

/// <summary>The cell texts that mean "no value" in real exports: empty, NA, N/A, NaN, null, ?.</summary>
public static class MissingValues
{
    public static bool IsMissing(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var t = text.AsSpan().Trim();
        return t.Equals("NA", StringComparison.OrdinalIgnoreCase)
            || t.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || t.Equals("NaN", StringComparison.OrdinalIgnoreCase)
            || t.Equals("null", StringComparison.OrdinalIgnoreCase)
            || t.SequenceEqual("?");
    }
}

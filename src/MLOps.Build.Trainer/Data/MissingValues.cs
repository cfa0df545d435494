namespace MLOps.Build.Trainer.Data;

/// <summary>The cell texts that mean "no value" in real exports: empty, NA, N/A, NaN, null, ?.</summary>
public static class MissingValues
{
    public static bool IsMissing(string? text) => text is null || IsMissing(text.AsSpan());

    public static bool IsMissing(ReadOnlySpan<char> text)
    {
        var t = text.Trim();
        return t.IsEmpty
            || t.Equals("NA", StringComparison.OrdinalIgnoreCase)
            || t.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || t.Equals("NaN", StringComparison.OrdinalIgnoreCase)
            || t.Equals("null", StringComparison.OrdinalIgnoreCase)
            || t.SequenceEqual("?");
    }
}

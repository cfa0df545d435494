using System.Globalization;

namespace MLOps.Build.Trainer.Data;

/// <summary>How a cell's text reads as a number or a boolean: one rule for inference and for conversion.</summary>
public static class CellParser
{
    public static bool TryParseFloat(ReadOnlySpan<char> text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>What a declared boolean (or a binary label) accepts: true/false, yes/no, y/n, t/f; 1/0 as 1 and 0.</summary>
    public static bool TryParseBool(ReadOnlySpan<char> text, out float value)
    {
        if (Is(text, "true") || Is(text, "yes") || Is(text, "y") || Is(text, "t"))
        {
            value = 1;
            return true;
        }
        if (Is(text, "false") || Is(text, "no") || Is(text, "n") || Is(text, "f"))
        {
            value = 0;
            return true;
        }
        value = float.NaN;
        return false;
    }

    /// <summary>Inference is stricter than conversion: only spelled-out true and false make a column boolean.</summary>
    public static bool IsTrueOrFalse(ReadOnlySpan<char> text) => Is(text, "true") || Is(text, "false");

    private static bool Is(ReadOnlySpan<char> text, string word) => text.Equals(word.AsSpan(), StringComparison.OrdinalIgnoreCase);
}

using MLOps.Shared;

namespace MLOps.Runtime;

/// <summary>
/// How a date input becomes the numbers the model was trained on (year, month, day, day of week, day of year, and for a
/// datetime hour and minute). Generated model classes call it; the build's trainer applies the same rule.
/// </summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class DateFeatures
{
    /// <summary>Writes the parts of <paramref name="value"/> (NaN in each when null) into <paramref name="parts"/>, whose length is 5 or 7.</summary>
    public static void Write(DateTime? value, Span<float> parts)
    {
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = value is { } v ? DateParts.Part(v, i) : float.NaN;
        }
    }
}

namespace MLOps.Runtime;

/// <summary>Copies an array-valued input property into its row of a batch, checking its length.</summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RowCopy
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>; their lengths must match.</summary>
    public static void Copy<T>(T[]? source, Span<T> target, string property)
    {
        if (source is null || source.Length != target.Length)
        {
            throw new ArgumentException($"Input.{property} must hold {target.Length} values; it holds {source?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (null)"}.", property);
        }
        source.CopyTo(target);
    }
}

namespace MLOps.Runtime;

/// <summary>
/// Splits the rows of a batch for a graph with dynamic dimensions into groups whose inputs share one shape: a
/// tensor holds one shape, so rows of different lengths are scored in separate calls (never padded, which would
/// change what a model without an attention mask computes).
/// </summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class ShapeGroups
{
    /// <summary>Row indexes grouped by <paramref name="shapeOf"/> (equal sequences share a group), in order of first appearance.</summary>
    public static List<int[]> Of<TInput>(ReadOnlySpan<TInput> inputs, Func<TInput, long[]> shapeOf)
    {
        ArgumentNullException.ThrowIfNull(shapeOf);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (var row = 0; row < inputs.Length; row++)
        {
            var key = string.Join(",", shapeOf(inputs[row]));
            if (!groups.TryGetValue(key, out var rows))
            {
                groups[key] = rows = [];
                order.Add(rows);
            }
            rows.Add(row);
        }
        return order.Select(g => g.ToArray()).ToList();
    }
}

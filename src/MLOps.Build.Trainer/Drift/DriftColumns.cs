using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Drift;

/// <summary>
/// What the drift check compares for each kind of feature. Numbers, booleans and categories as they are; a text
/// column by its length in words (a number per row: free text has no categories to count, and a shift in length is
/// what a changed source, template or language shows first); date columns not at all, since time always moves on
/// and a later date is not drift.
/// </summary>
public static class DriftColumns
{
    public static bool IsChecked(FeatureColumn feature) => !feature.Kind.IsDate();

    public static FeatureColumn Comparable(FeatureColumn feature) =>
        feature.Kind == ColumnKind.Text ? new FeatureColumn(feature.Name, ColumnKind.Float, WordCounts(feature.Categories!), null) { Settings = feature.Settings } : feature;

    /// <summary>Words per row (NaN for a missing cell), counted once per distinct value.</summary>
    public static float[] WordCounts(CategoryColumn text)
    {
        var byCode = text.Values.Select(v => (float)ColumnProfile.WordCount(v.AsSpan())).ToArray();
        var counts = new float[text.Count];
        for (var row = 0; row < counts.Length; row++)
        {
            var code = text.Codes[row];
            counts[row] = code < 0 ? float.NaN : byCode[code];
        }
        return counts;
    }
}

using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// The manifest's <c>rows</c> filters on one file: rows without a label (when <c>missingLabel</c> is "drop") and rows
/// whose numeric feature lies outside its range (a missing value is kept: imputation handles it). Each file's counts
/// are reported (MLOPS1045) and kept for the model card; a file left with no row is MLOPS1046.
/// </summary>
public static class RowFilter
{
    public static (IReadOnlyList<FeatureColumn> Features, int Rows, RowFilterCounts? Counts)? Apply(
        ModelManifest manifest, IReadOnlyList<FeatureColumn> features, ColumnValues label, int rows,
        string displayPath, FileLocation fileLocation, DiagnosticBag diagnostics, out ColumnValues keptLabel)
    {
        keptLabel = label;
        if (manifest.Rows is not { } filter)
        {
            return (features, rows, null);
        }
        var missingLabel = 0L;
        var outOfRange = filter.Ranges.ToDictionary(r => r.Column, _ => 0L, StringComparer.Ordinal);
        var ranges = filter.Ranges
            .Select(r => (Range: r, Values: features.FirstOrDefault(f => f.Name == r.Column)?.Numbers))
            .Where(r => r.Values is not null)
            .ToArray();
        var kept = new List<int>(rows);
        for (var row = 0; row < rows; row++)
        {
            if (filter.DropMissingLabel && IsMissing(label, row))
            {
                missingLabel++;
                continue;
            }
            var inRange = true;
            foreach (var (range, values) in ranges)
            {
                var value = values![row];
                if (!float.IsNaN(value) && (value < range.Min || value > range.Max))
                {
                    outOfRange[range.Column]++;
                    inRange = false;
                    break;
                }
            }
            if (inRange)
            {
                kept.Add(row);
            }
        }
        var counts = new RowFilterCounts(rows, missingLabel, outOfRange);
        if (kept.Count == 0)
        {
            diagnostics.Add(D.EveryRowFiltered, filter.Location, $"The row filters drop all {rows:N0} rows of '{displayPath}' ({Describe(counts)}).");
            return null;
        }
        if (counts.Dropped > 0)
        {
            diagnostics.Add(D.RowsFiltered, filter.Location, $"'{displayPath}': the row filters dropped {counts.Dropped:N0} of {rows:N0} rows ({Describe(counts)}).");
        }
        if (kept.Count == rows)
        {
            return (features, rows, counts);
        }
        var keep = kept.ToArray();
        keptLabel = new ColumnValues(label.Numbers is null ? null : FeatureColumn.Pick(label.Numbers, keep), label.Categories?.Select(keep));
        return (features.Select(f => f.Select(keep)).ToArray(), keep.Length, counts);
    }

    public static string Describe(RowFilterCounts counts) =>
        string.Join(", ", new[] { $"missing label {counts.MissingLabel:N0}" }.Concat(counts.OutOfRange.Select(r => $"'{r.Key}' out of range {r.Value:N0}")));

    private static bool IsMissing(ColumnValues label, int row) =>
        label.Numbers is { } numbers ? float.IsNaN(numbers[row]) : label.Categories!.Codes[row] < 0;
}

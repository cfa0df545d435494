using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// The rows two scorers of one model are compared on: every row of a table up to <see cref="AllRowsUpTo"/>, else a
/// seeded sample of <see cref="SampleRows"/>, plus synthetic edge rows that real data may lack: each feature missing
/// in turn, each category feature with a value never seen in training, and every feature missing at once.
/// </summary>
public static class ParityRows
{
    public const int AllRowsUpTo = 50_000;
    public const int SampleRows = 10_000;
    public const string UnseenCategory = "__mlops_unseen_category__";

    public static (TrainingTable Rows, int SampledFrom, int EdgeRows) For(TrainingTable table, int seed, int allRowsUpTo = AllRowsUpTo, int sampleRows = SampleRows)
    {
        var sample = table.Select(RowSample.Of(table.RowCount, table.RowCount <= allRowsUpTo ? allRowsUpTo : sampleRows, seed));
        var edits = EdgeEdits(sample).ToArray();
        if (sample.RowCount == 0 || edits.Length == 0)
        {
            return (sample, table.RowCount, 0);
        }
        // Each edge row is the first sampled row with some features replaced.
        var features = sample.Features.Select((feature, f) => feature.IsNumeric
            ? feature.WithValues([.. feature.Numbers!, .. edits.Select(e => e.Missing.Contains(f) ? float.NaN : feature.Numbers![0])], null)
            : feature.WithValues(null, CategoryColumn.From(feature.Categories!.Concat(edits.Select(e =>
                e.Missing.Contains(f) ? null : e.Unseen == f ? UnseenCategory : feature.Categories![0])))))
            .ToArray();
        var first = Enumerable.Repeat(0, edits.Length).ToArray();
        var label = sample.Label.Select([.. Enumerable.Range(0, sample.RowCount), .. first]);
        return (new TrainingTable(table.Path, features, label, sample.RowCount + edits.Length), table.RowCount, edits.Length);
    }

    /// <summary>
    /// Rows for checking text featurization: the first row of <paramref name="sample"/> with one text feature at a
    /// time replaced by each of <see cref="SyntheticTexts.All"/>; no rows when the table has no text feature.
    /// </summary>
    public static TrainingTable WithSyntheticTexts(TrainingTable sample)
    {
        var texts = sample.Features.Select((f, i) => (f, i)).Where(p => p.f.Kind == ColumnKind.Text).Select(p => p.i).ToArray();
        if (texts.Length == 0 || sample.RowCount == 0)
        {
            return sample.Select([]);
        }
        var count = texts.Length * SyntheticTexts.All.Count;
        var features = sample.Features.Select((feature, f) =>
        {
            if (feature.IsNumeric)
            {
                return feature.WithValues(Enumerable.Repeat(feature.Numbers![0], count).ToArray(), null);
            }
            var at = Array.IndexOf(texts, f);
            return feature.WithValues(null, CategoryColumn.From(Enumerable.Range(0, count).Select(row =>
                at >= 0 && row / SyntheticTexts.All.Count == at ? SyntheticTexts.All[row % SyntheticTexts.All.Count] : feature.Categories![0])));
        }).ToArray();
        return new TrainingTable(sample.Path, features, sample.Label.Select(new int[count]), count);
    }

    private sealed record Edit(HashSet<int> Missing, int Unseen = -1);

    private static IEnumerable<Edit> EdgeEdits(TrainingTable sample)
    {
        var count = sample.Features.Count;
        for (var f = 0; f < count; f++)
        {
            yield return new Edit([f]);
        }
        for (var f = 0; f < count; f++)
        {
            // An unseen date would be an unreadable one: dates have no vocabulary to step outside of.
            if (!sample.Features[f].IsNumeric && !sample.Features[f].Kind.IsDate())
            {
                yield return new Edit([], Unseen: f);
            }
        }
        yield return new Edit([.. Enumerable.Range(0, count)]);
    }
}

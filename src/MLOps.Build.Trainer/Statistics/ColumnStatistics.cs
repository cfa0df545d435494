using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Statistics;

/// <summary>Training-data statistics for the model card: the reference that drift checks and range analyzers compare with.</summary>
public static class ColumnStatistics
{
    private const int TopTokens = 20;

    public static StatisticsCard Compute(FeatureColumn column)
    {
        if (column.Kind == ColumnKind.Text)
        {
            return Text(column);
        }
        if (column.Kind.IsDate())
        {
            return Dates(column);
        }
        if (!column.IsNumeric)
        {
            var text = column.Categories!;
            var counts = text.CountByCode();
            var present = counts.Sum();
            var missing = column.Count - present;
            var seen = counts.Select((count, code) => new CategoryCount(text.Values[code], count)).Where(c => c.Count > 0).ToArray();
            var categories = seen
                .OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
                .Take(ModelCardKeys.Statistics.CategoriesListed).ToArray();
            return new StatisticsCard(column.Count, missing, Rate(missing, column.Count), null, null, null, null, null, categories)
            {
                CategoriesTruncated = seen.Length > categories.Length,
            };
        }

        var values = Sorted(column.Numbers!);
        var missingCount = column.Count - values.Length;
        if (values.Length == 0)
        {
            return new StatisticsCard(column.Count, missingCount, 1, null, null, null, null, null, null);
        }
        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }
        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }
        var std = Math.Sqrt(squares / Math.Max(1, values.Length - 1));
        var histogram = column.Kind == ColumnKind.Bool
            ? new HistogramCard(HistogramBins.BooleanEdges, Drift.DriftMath.Bin(values, HistogramBins.BooleanEdges))
            : Histogram(values);
        return new StatisticsCard(column.Count, missingCount, Rate(missingCount, column.Count),
            values[0], values[^1], Round(mean), Round(std), histogram, null);
    }

    /// <summary>
    /// Missing share, the words per row as a histogram (what the drift check compares, <see cref="Drift.DriftColumns"/>),
    /// vocabulary size and top tokens of the lower-cased words. No range and no categories: the input analyzer has
    /// nothing to check a text literal against.
    /// </summary>
    private static StatisticsCard Text(FeatureColumn column)
    {
        var text = column.Categories!;
        var words = Compute(new FeatureColumn(column.Name, ColumnKind.Float, Drift.DriftColumns.WordCounts(text), null));
        var rowsByCode = text.CountByCode();
        var tokens = new Dictionary<string, long>(StringComparer.Ordinal);
        long characters = 0;
        for (var code = 0; code < rowsByCode.Length; code++)
        {
            if (rowsByCode[code] == 0)
            {
                continue;
            }
            var value = text.Values[code];
            characters += value.Length * rowsByCode[code];
            foreach (var token in value.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                tokens[token] = tokens.GetValueOrDefault(token) + rowsByCode[code];
            }
        }
        var present = rowsByCode.Sum();
        var top = tokens.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(TopTokens)
            .Select(t => new CategoryCount(t.Key, t.Value)).ToArray();
        return new StatisticsCard(words.Count, words.Missing, words.MissingRate, null, null, null, null, words.Histogram, null)
        {
            Text = new TextStatisticsCard(tokens.Count, top, words.Mean ?? 0, present == 0 ? 0 : Round((double)characters / present)),
        };
    }

    /// <summary>Missing share and the earliest and latest value, as parsed (ISO-8601).</summary>
    private static StatisticsCard Dates(FeatureColumn column)
    {
        var text = column.Categories!;
        var present = text.CountByCode();
        var dates = text.Values.Where((_, code) => present[code] > 0)
            .Select(v => DateCells.TryParse(v.AsSpan(), column.Settings?.Format, out var d) ? d : (DateTime?)null)
            .OfType<DateTime>().Order().ToArray();
        var missing = column.Count - present.Sum();
        var format = column.Kind == ColumnKind.Date ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss";
        return new StatisticsCard(column.Count, missing, Rate(missing, column.Count), null, null, null, null, null, null)
        {
            First = dates.Length == 0 ? null : dates[0].ToString(format, System.Globalization.CultureInfo.InvariantCulture),
            Last = dates.Length == 0 ? null : dates[^1].ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The shared bins (<c>HistogramBins.Edges</c>): quantiles, or a bin per value for few distinct values.</summary>
    private static HistogramCard Histogram(double[] sorted)
    {
        var edges = HistogramBins.Edges(sorted);
        // The one bin rule for the card, the drift check and (mirrored) the runtime monitor.
        return new HistogramCard(edges, Drift.DriftMath.Bin(sorted, edges));
    }

    /// <summary>The present values, ascending (one array and one sort, however many rows).</summary>
    private static double[] Sorted(float[] numbers)
    {
        var values = new double[numbers.Length];
        var count = 0;
        foreach (var v in numbers)
        {
            if (!float.IsNaN(v))
            {
                values[count++] = v;
            }
        }
        Array.Resize(ref values, count);
        Array.Sort(values);
        return values;
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : Round((double)part / whole);

    private static double Round(double value) => Math.Round(value, 9);
}

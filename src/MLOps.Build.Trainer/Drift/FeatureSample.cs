using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Drift;

/// <summary>
/// One feature's values prepared for comparison: numbers sorted (missing removed), or category counts
/// (booleans count as the categories "false" and "true").
/// </summary>
public sealed class FeatureSample
{
    private FeatureSample(string name, ColumnKind kind, long rows, long missing, double[]? sorted, Dictionary<string, long>? categories)
    {
        Name = name;
        Kind = kind;
        Rows = rows;
        Missing = missing;
        Sorted = sorted;
        Categories = categories;
        if (sorted is { Length: > 1 })
        {
            var mean = 0.0;
            foreach (var v in sorted)
            {
                mean += v;
            }
            mean /= sorted.Length;
            var squares = 0.0;
            foreach (var v in sorted)
            {
                squares += (v - mean) * (v - mean);
            }
            Std = Math.Sqrt(squares / (sorted.Length - 1));
        }
    }

    public string Name { get; }
    public ColumnKind Kind { get; }
    public long Rows { get; }
    public long Missing { get; }

    /// <summary>Present values in ascending order; null for categories.</summary>
    public double[]? Sorted { get; }

    /// <summary>Count of each present value; null for numbers.</summary>
    public Dictionary<string, long>? Categories { get; }

    /// <summary>Sample standard deviation of the present values (0 for fewer than two).</summary>
    public double Std { get; }

    public bool IsNumeric => Sorted is not null;

    public double MissingRate => Rows == 0 ? 0 : (double)Missing / Rows;

    public static FeatureSample From(FeatureColumn column)
    {
        if (column.Categories is { } text)
        {
            var byCode = text.CountByCode();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var code = 0; code < byCode.Length; code++)
            {
                if (byCode[code] > 0)
                {
                    counts[text.Values[code]] = byCode[code];
                }
            }
            return new FeatureSample(column.Name, column.Kind, column.Count, column.Count - byCode.Sum(), null, counts);
        }

        var numbers = column.Numbers!;
        if (column.Kind == ColumnKind.Bool)
        {
            long trues = 0, falses = 0;
            foreach (var v in numbers)
            {
                if (v == 1)
                {
                    trues++;
                }
                else if (v == 0)
                {
                    falses++;
                }
            }
            var categories = new Dictionary<string, long>(StringComparer.Ordinal) { ["false"] = falses, ["true"] = trues };
            return new FeatureSample(column.Name, column.Kind, numbers.Length, numbers.Length - trues - falses, null, categories);
        }

        var present = new double[numbers.Length];
        var count = 0;
        foreach (var v in numbers)
        {
            if (!float.IsNaN(v))
            {
                present[count++] = v;
            }
        }
        Array.Resize(ref present, count);
        Array.Sort(present);
        return new FeatureSample(column.Name, column.Kind, numbers.Length, numbers.Length - count, present, null);
    }
}

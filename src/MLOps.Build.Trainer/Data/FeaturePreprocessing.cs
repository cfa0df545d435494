using System.Globalization;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// What happens to a feature's value before the model sees it, outside the ONNX graph: lower-casing of text (ONNX
/// Runtime's <c>StringNormalizer</c> needs an installed locale, which containers lack) and the manifest's missing-value
/// replacement. The trainer applies it to what ML.NET and ONNX Runtime both score (so the parity check covers it),
/// the model card records it, and the generated class applies it to every input, in the same order: replace, then
/// lower-case.
/// </summary>
/// <param name="Policy">The manifest's policy name when a replacement was decided ("median", …).</param>
public sealed record FeaturePreprocessing(bool Lowercase, float? NumberReplacement, string? TextReplacement, string? Policy)
{
    public static FeaturePreprocessing None { get; } = new(false, null, null, null);

    public float Number(float value) => float.IsNaN(value) && NumberReplacement is { } replacement ? replacement : value;

    /// <summary>null or empty is missing: replaced when a replacement is set, then lower-cased.</summary>
    public string? Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            value = TextReplacement;
        }
        return value is not null && Lowercase ? value.ToLowerInvariant() : value;
    }

    /// <summary>The replacement as the model card writes it; null when there is none.</summary>
    public string? Replacement => NumberReplacement is { } n ? n.ToString("R", CultureInfo.InvariantCulture) : TextReplacement;

    /// <summary>What a model card says was done to an input, to score rows as that model's app does.</summary>
    public static FeaturePreprocessing FromCard(MLOps.Build.Artifacts.PreprocessingCard? card, bool numeric) => card is null ? None : new FeaturePreprocessing(
        card.Lowercase,
        numeric && card.Replacement is { } number ? float.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
        numeric ? null : card.Replacement,
        card.MissingPolicy);

    /// <summary>Decided once, from the training rows; the test rows and every scored row get the same.</summary>
    public static FeaturePreprocessing Decide(FeatureColumn train)
    {
        var lowercase = train.Kind == ColumnKind.Text && (train.Settings?.Text ?? TextFeaturizationSpec.Default).Lowercase;
        if (train.Settings?.Missing is not { } missing || (missing.Policy == MissingValuePolicy.Mean && train.IsNumeric))
        {
            // Mean imputation is the graph's own (ML.NET's ReplaceMissingValues), so it also holds for raw ONNX Runtime callers.
            return lowercase ? new FeaturePreprocessing(true, null, null, null) : None;
        }
        if (train.IsNumeric)
        {
            var value = missing.Policy switch
            {
                MissingValuePolicy.Median => Median(train.Numbers!),
                MissingValuePolicy.MostFrequent => MostFrequent(train.Numbers!),
                _ => float.Parse(missing.Constant!, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            return new FeaturePreprocessing(false, value, null, missing.PolicyName);
        }
        var text = missing.Policy == MissingValuePolicy.MostFrequent ? MostFrequent(train.Categories!) : missing.Constant;
        return new FeaturePreprocessing(lowercase, null, text, missing.PolicyName);
    }

    /// <summary>The middle present value (the lower middle of an even count, so that it is a value the column has); NaN when none is present.</summary>
    public static float Median(float[] values)
    {
        var present = values.Where(v => !float.IsNaN(v)).ToArray();
        if (present.Length == 0)
        {
            return float.NaN;
        }
        Array.Sort(present);
        return present[(present.Length - 1) / 2];
    }

    /// <summary>The most frequent present value, the smallest on ties.</summary>
    public static float MostFrequent(float[] values) =>
        values.Where(v => !float.IsNaN(v)).GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).DefaultIfEmpty(float.NaN).First();

    /// <summary>The most frequent value, the first met on ties; null when none is present.</summary>
    public static string? MostFrequent(CategoryColumn values)
    {
        var counts = values.CountByCode();
        var best = -1;
        for (var code = 0; code < counts.Length; code++)
        {
            if (counts[code] > 0 && (best < 0 || counts[code] > counts[best]))
            {
                best = code;
            }
        }
        return best < 0 ? null : values.Values[best];
    }
}

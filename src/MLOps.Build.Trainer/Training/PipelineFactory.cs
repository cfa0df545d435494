using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Featurization that exports to ONNX with feature-only inputs: mean imputation of numbers and date parts, one-hot
/// categories, n-grams of text, one feature vector, min-max scaling for linear trainers, then the trainer.
/// </summary>
public static class PipelineFactory
{
    public const string FeaturesColumnName = "__mlops_features";
    public const string OneHotSuffix = "__mlops_onehot";
    public const string TextSuffix = "__mlops_ngrams";

    public static IEstimator<ITransformer> Featurize(MLContext ml, IReadOnlyList<FeatureColumn> features, bool normalize)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        // One imputer for every number (it exports one ONNX Imputer per column all the same): a chain of one transform
        // per column makes every row pass through as many cursors as there are columns, and a wide table (hundreds of
        // columns) took minutes to train and hours to score for importance.
        var numbers = features.Where(Imputed).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        if (numbers.Length > 0)
        {
            // Always present, so that a missing value at prediction time is imputed instead of poisoning the score.
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues(numbers, MissingValueReplacingEstimator.ReplacementMode.Mean));
        }
        foreach (var feature in features)
        {
            var part = FeaturePart(feature);
            if (feature.Kind == ColumnKind.Text)
            {
                pipeline = pipeline.Append(ml.Transforms.Text.FeaturizeText(part, TextOptions(feature.Settings?.Text ?? TextFeaturizationSpec.Default), feature.Name));
            }
            else if (!Imputed(feature))
            {
                pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(part, feature.Name,
                    keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue));
            }
            parts.Add(part);
        }
        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeaturesColumnName, [.. parts]));
        if (normalize)
        {
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax(FeaturesColumnName));
        }
        // Multi-pass trainers (SDCA, L-BFGS) would otherwise extract every row's n-grams again on every pass: minutes
        // instead of seconds for 70 newswire articles. The checkpoint only affects fitting; the exported graph is unchanged.
        return features.Any(f => f.Kind == ColumnKind.Text) ? pipeline.AppendCacheCheckpoint(ml) : pipeline;
    }

    /// <summary>The column that holds <paramref name="feature"/>'s slots of the feature vector, concatenated in the features' order.</summary>
    public static string FeaturePart(FeatureColumn feature) =>
        Imputed(feature) ? feature.Name
        : feature.Kind == ColumnKind.Text ? feature.Name + TextSuffix
        : feature.Name + OneHotSuffix;

    private static bool Imputed(FeatureColumn feature) => feature.IsNumeric || feature.Kind.IsDate();

    /// <summary>
    /// ML.NET's text normalizer has no ONNX export, so it is off: case is folded before the graph
    /// (<see cref="Data.FeaturePreprocessing"/>), diacritics, punctuation and numbers are kept.
    /// </summary>
    public static TextFeaturizingEstimator.Options TextOptions(TextFeaturizationSpec spec)
    {
        var weighting = spec.Weighting switch
        {
            "tf" => NgramExtractingEstimator.WeightingCriteria.Tf,
            "idf" => NgramExtractingEstimator.WeightingCriteria.Idf,
            _ => NgramExtractingEstimator.WeightingCriteria.TfIdf,
        };
        return new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = spec.WordNgrams, UseAllLengths = true, Weighting = weighting },
            CharFeatureExtractor = spec.CharNgrams == 0 ? null : new WordBagEstimator.Options { NgramLength = spec.CharNgrams, UseAllLengths = false, Weighting = weighting },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
    }

    /// <summary>Multiclass labels become keys before the exported pipeline, so the ONNX graph needs no label input.</summary>
    public static ITransformer? FitLabelMapping(MLContext ml, ModelTask task, IDataView train) =>
        task == ModelTask.Multiclass
            ? ml.Transforms.Conversion.MapValueToKey(InMemoryDataView.LabelColumnName, InMemoryDataView.LabelColumnName,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train)
            : null;
}

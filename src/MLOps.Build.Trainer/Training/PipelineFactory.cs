using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Featurization that exports to ONNX with feature-only inputs: mean imputation of numbers, one-hot
/// categories, one feature vector, min-max scaling for linear trainers, then the trainer.
/// </summary>
public static class PipelineFactory
{
    public const string FeaturesColumnName = "__mlops_features";
    public const string OneHotSuffix = "__mlops_onehot";

    public static IEstimator<ITransformer> Featurize(MLContext ml, IReadOnlyList<FeatureColumn> features, bool normalize)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        foreach (var feature in features)
        {
            if (feature.IsNumeric)
            {
                // Always present, so that a missing value at prediction time is imputed instead of poisoning the score.
                pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues(feature.Name, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean));
                parts.Add(feature.Name);
            }
            else
            {
                var encoded = feature.Name + OneHotSuffix;
                pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(encoded, feature.Name,
                    keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue));
                parts.Add(encoded);
            }
        }
        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeaturesColumnName, [.. parts]));
        if (normalize)
        {
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax(FeaturesColumnName));
        }
        return pipeline;
    }

    /// <summary>Multiclass labels become keys before the exported pipeline, so the ONNX graph needs no label input.</summary>
    public static ITransformer? FitLabelMapping(MLContext ml, ModelTask task, IDataView train) =>
        task == ModelTask.Multiclass
            ? ml.Transforms.Conversion.MapValueToKey(InMemoryDataView.LabelColumnName, InMemoryDataView.LabelColumnName,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train)
            : null;
}

using Microsoft.ML;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Trainer.Training;

public sealed record TrainedModel(
    ITransformer ScoringModel,
    IDataView ScoredTest,
    SortedDictionary<string, double> Metrics,
    IReadOnlyList<string> Classes,
    object EffectiveOptions,
    ClassEvaluationCard? PerClass = null,
    CrossValidationCard? CrossValidation = null,
    IReadOnlyList<FeatureImportanceCard>? Importance = null)
{
    /// <summary>The rows <see cref="Importance"/> was measured on.</summary>
    public ImportanceSampleCard? ImportanceSample { get; init; }

    /// <summary>The test set's curves for the report.</summary>
    public CurvesCard? Curves { get; init; }
}

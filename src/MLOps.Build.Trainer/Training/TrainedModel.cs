using Microsoft.ML;

namespace MLOps.Build.Trainer.Training;

public sealed record TrainedModel(
    ITransformer ScoringModel,
    IDataView ScoredTest,
    SortedDictionary<string, double> Metrics,
    IReadOnlyList<string> Classes,
    object EffectiveOptions,
    ClassEvaluation? PerClass = null);

/// <summary>Classification detail on the test set: per class, and the confusion matrix (rows: actual, columns: predicted).</summary>
public sealed record ClassEvaluation(
    IReadOnlyList<string> Classes,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double>? LogLoss,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix);

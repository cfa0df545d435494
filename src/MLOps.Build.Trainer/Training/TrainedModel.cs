using Microsoft.ML;

namespace MLOps.Build.Trainer.Training;

public sealed record TrainedModel(
    ITransformer ScoringModel,
    IDataView ScoredTest,
    SortedDictionary<string, double> Metrics,
    IReadOnlyList<string> Classes,
    object EffectiveOptions,
    ClassEvaluation? PerClass = null,
    CrossValidation? CrossValidation = null,
    IReadOnlyList<FeatureImportance>? Importance = null);

/// <summary>How much the main metric drops when one column's values are shuffled on the test set (higher: more important).</summary>
public sealed record FeatureImportance(string Column, string Metric, double Drop, double StandardError);

/// <summary>k-fold results on the training data: the gates see the means.</summary>
public sealed record CrossValidation(
    int Folds,
    IReadOnlyDictionary<string, double> Mean,
    IReadOnlyDictionary<string, double> StandardDeviation,
    IReadOnlyDictionary<string, double> TestSet);

/// <summary>Classification detail on the test set: per class, and the confusion matrix (rows: actual, columns: predicted).</summary>
public sealed record ClassEvaluation(
    IReadOnlyList<string> Classes,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double>? LogLoss,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix);

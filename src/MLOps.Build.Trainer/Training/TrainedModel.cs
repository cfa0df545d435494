using Microsoft.ML;

namespace MLOps.Build.Trainer.Training;

public sealed record TrainedModel(
    ITransformer ScoringModel,
    IDataView ScoredTest,
    SortedDictionary<string, double> Metrics,
    IReadOnlyList<string> Classes,
    object EffectiveOptions);

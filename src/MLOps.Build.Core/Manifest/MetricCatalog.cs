namespace MLOps.Build.Manifest;

/// <summary>ML.NET's metric property names per task, and whether a higher value is better.</summary>
public static class MetricCatalog
{
    private static readonly Dictionary<ModelTask, (string Name, bool HigherIsBetter)[]> Metrics = new()
    {
        [ModelTask.Binary] =
        [
            ("Accuracy", true), ("AreaUnderRocCurve", true), ("AreaUnderPrecisionRecallCurve", true), ("F1Score", true),
            ("PositivePrecision", true), ("PositiveRecall", true), ("NegativePrecision", true), ("NegativeRecall", true),
            ("LogLoss", false), ("LogLossReduction", true), ("Entropy", false),
        ],
        [ModelTask.Multiclass] =
        [
            ("MicroAccuracy", true), ("MacroAccuracy", true), ("LogLoss", false), ("LogLossReduction", true)
        ],
        [ModelTask.Regression] =
        [
            ("MeanAbsoluteError", false), ("MeanSquaredError", false), ("RootMeanSquaredError", false), ("RSquared", true), ("LossFunction", false),
        ],
    };

    public static IEnumerable<string> For(ModelTask task) => Metrics[task].Select(m => m.Name);

    /// <summary>What ranks sweep trials unless the manifest says otherwise: robust to class imbalance, defined for every trainer.</summary>
    public static string Primary(ModelTask task) => task switch
    {
        ModelTask.Binary => "AreaUnderRocCurve",
        ModelTask.Multiclass => "MacroAccuracy",
        _ => "RSquared",
    };

    public static bool IsKnown(ModelTask task, string metric) => Metrics[task].Any(m => m.Name == metric);

    public static bool HigherIsBetter(ModelTask task, string metric) => Metrics[task].First(m => m.Name == metric).HigherIsBetter;
}

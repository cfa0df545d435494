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

    /// <summary>The metric read beside the primary one: what most people quote for the task.</summary>
    private static string Companion(ModelTask task) => task switch
    {
        ModelTask.Binary => "Accuracy",
        ModelTask.Multiclass => "MicroAccuracy",
        _ => "RootMeanSquaredError",
    };

    /// <summary>
    /// The metrics a one-line summary shows (MLOPS2010, <c>dotnet mlops status</c> and <c>runs</c>): the task's primary
    /// metric and its companion, then every gated one, each once. Alphabetical order would show regression's
    /// LossFunction before RSquared and hide multiclass MicroAccuracy.
    /// </summary>
    public static IReadOnlyList<string> Headline(ModelTask task, IEnumerable<string>? gated = null) =>
        new[] { Primary(task), Companion(task) }.Concat(gated ?? []).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The headline of a set of metrics whose task is not at hand (a run record, a card): the task is the one whose catalog holds them all.</summary>
    public static IReadOnlyList<string> Headline(IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var task in new[] { ModelTask.Binary, ModelTask.Multiclass, ModelTask.Regression })
        {
            if (metrics.Count > 0 && metrics.Keys.All(k => IsKnown(task, k)))
            {
                return Headline(task).Where(metrics.ContainsKey).ToArray();
            }
        }
        return metrics.Keys.Take(3).ToArray();
    }

    /// <summary>"MacroAccuracy 0.5031, MicroAccuracy 0.8384": the headline metrics present in <paramref name="metrics"/>.</summary>
    public static string Summary(IReadOnlyDictionary<string, double> metrics, IEnumerable<string> names) =>
        string.Join(", ", names.Where(metrics.ContainsKey).Select(n => $"{n} {metrics[n].ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The prefix of a gate on a metric estimated without labels on current data ("estimated.MicroAccuracy").</summary>
    public const string EstimatedPrefix = "estimated.";

    /// <summary>The metric an estimate without labels stands for (<see cref="MLOps.Shared.ClassifierConfidence"/>); null for regression.</summary>
    public static string? Estimated(ModelTask task) => task switch
    {
        ModelTask.Binary => MLOps.Shared.ClassifierConfidence.BinaryMetric,
        ModelTask.Multiclass => MLOps.Shared.ClassifierConfidence.MulticlassMetric,
        _ => null,
    };

    /// <summary>Whether a gate's metric is an estimate on current data, judged by the drift check rather than on the test set.</summary>
    public static bool IsEstimated(string metric) => metric.StartsWith(EstimatedPrefix, StringComparison.Ordinal);

    /// <summary>A test metric of the task, or the task's estimate on current data.</summary>
    public static bool IsKnown(ModelTask task, string metric) =>
        Metrics[task].Any(m => m.Name == metric) || (Estimated(task) is { } estimated && metric == EstimatedPrefix + estimated);

    public static bool HigherIsBetter(ModelTask task, string metric) =>
        IsEstimated(metric) || Metrics[task].First(m => m.Name == metric).HigherIsBetter;
}

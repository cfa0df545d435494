namespace MLOps.Build.Manifest;

/// <summary>
/// The trainer names a manifest may use per task. The task checks names here without loading ML.NET;
/// the trainer maps each name onto an ML.NET trainer and its options class (a test keeps both in step).
/// </summary>
public static class TrainerCatalog
{
    private static readonly Dictionary<ModelTask, string[]> Names = new()
    {
        [ModelTask.Binary] = ["LightGbm", "FastTree", "FastForest", "SdcaLogisticRegression", "SdcaNonCalibrated", "LbfgsLogisticRegression", "AveragedPerceptron", "LinearSvm"],
        [ModelTask.Multiclass] = ["LightGbm", "FastTree", "FastForest", "SdcaMaximumEntropy", "SdcaNonCalibrated", "LbfgsMaximumEntropy"],
        [ModelTask.Regression] = ["LightGbm", "FastTree", "FastTreeTweedie", "FastForest", "Sdca", "LbfgsPoissonRegression", "OnlineGradientDescent"],
    };

    public static IReadOnlyList<string> For(ModelTask task) => Names[task];

    public static bool IsKnown(ModelTask task, string name) => Array.IndexOf(Names[task], name) >= 0;
}

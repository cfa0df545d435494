using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Training;

/// <summary>A manifest trainer name for a task: its ML.NET options class and how to build the estimator from it.</summary>
/// <param name="Calibrated">Binary only: the model has a Probability output (and so log-loss metrics).</param>
/// <param name="Threads">
/// The threads a model (not a sweep trial) trains with: a fixed count, never the machine's, with which the trainer is
/// deterministic, so that the model is byte-identical on a laptop and a CI runner (docs/manifest.md, Reproducibility).
/// </param>
public sealed record TrainerEntry(
    ModelTask Task,
    string Name,
    Type OptionsType,
    Func<MLContext, object, IEstimator<ITransformer>> Create,
    bool NeedsNormalization,
    bool Calibrated = true,
    int Threads = 1);

/// <summary>The thread counts of <see cref="TrainerEntry.Threads"/>.</summary>
public static class TrainingThreads
{
    /// <summary>
    /// LightGbm (deterministic mode), FastTree, FastForest and FastTreeTweedie give byte-identical models at 1 to 4
    /// threads (ThreadCountTests), so a model trains with four on any machine.
    /// </summary>
    public const int Trees = 4;

    /// <summary>
    /// SDCA's threads race (a different model every run); L-BFGS is deterministic for a fixed count but its model
    /// depends on the count, and a linear model trains in seconds anyway: one.
    /// </summary>
    public const int Linear = 1;
}

/// <summary>Every name in <see cref="TrainerCatalog"/>, mapped onto ML.NET.</summary>
public static class TrainerRegistry
{
    private static readonly TrainerEntry[] Entries =
    [
        Trees<LightGbmBinaryTrainer.Options>(ModelTask.Binary, "LightGbm", (ml, o) => ml.BinaryClassification.Trainers.LightGbm(o)),
        Trees<FastTreeBinaryTrainer.Options>(ModelTask.Binary, "FastTree", (ml, o) => ml.BinaryClassification.Trainers.FastTree(o)),
        Trees<FastForestBinaryTrainer.Options>(ModelTask.Binary, "FastForest", (ml, o) => ml.BinaryClassification.Trainers.FastForest(o)) with { Calibrated = false },
        Linear<SdcaLogisticRegressionBinaryTrainer.Options>(ModelTask.Binary, "SdcaLogisticRegression", (ml, o) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(o)),
        Linear<SdcaNonCalibratedBinaryTrainer.Options>(ModelTask.Binary, "SdcaNonCalibrated", (ml, o) => ml.BinaryClassification.Trainers.SdcaNonCalibrated(o)) with { Calibrated = false },
        Linear<LbfgsLogisticRegressionBinaryTrainer.Options>(ModelTask.Binary, "LbfgsLogisticRegression", (ml, o) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(o)),
        Linear<AveragedPerceptronTrainer.Options>(ModelTask.Binary, "AveragedPerceptron", (ml, o) => ml.BinaryClassification.Trainers.AveragedPerceptron(o)) with { Calibrated = false },
        Linear<LinearSvmTrainer.Options>(ModelTask.Binary, "LinearSvm", (ml, o) => ml.BinaryClassification.Trainers.LinearSvm(o)) with { Calibrated = false },

        Trees<LightGbmMulticlassTrainer.Options>(ModelTask.Multiclass, "LightGbm", (ml, o) => ml.MulticlassClassification.Trainers.LightGbm(o)),
        Trees<FastTreeBinaryTrainer.Options>(ModelTask.Multiclass, "FastTree", (ml, o) => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(o), InMemoryDataView.LabelColumnName)),
        Trees<FastForestBinaryTrainer.Options>(ModelTask.Multiclass, "FastForest", (ml, o) => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(o), InMemoryDataView.LabelColumnName)),
        Linear<SdcaMaximumEntropyMulticlassTrainer.Options>(ModelTask.Multiclass, "SdcaMaximumEntropy", (ml, o) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(o)),
        Linear<SdcaNonCalibratedMulticlassTrainer.Options>(ModelTask.Multiclass, "SdcaNonCalibrated", (ml, o) => ml.MulticlassClassification.Trainers.SdcaNonCalibrated(o)),
        Linear<LbfgsMaximumEntropyMulticlassTrainer.Options>(ModelTask.Multiclass, "LbfgsMaximumEntropy", (ml, o) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(o)),

        Trees<LightGbmRegressionTrainer.Options>(ModelTask.Regression, "LightGbm", (ml, o) => ml.Regression.Trainers.LightGbm(o)),
        Trees<FastTreeRegressionTrainer.Options>(ModelTask.Regression, "FastTree", (ml, o) => ml.Regression.Trainers.FastTree(o)),
        Trees<FastTreeTweedieTrainer.Options>(ModelTask.Regression, "FastTreeTweedie", (ml, o) => ml.Regression.Trainers.FastTreeTweedie(o)),
        Trees<FastForestRegressionTrainer.Options>(ModelTask.Regression, "FastForest", (ml, o) => ml.Regression.Trainers.FastForest(o)),
        Linear<SdcaRegressionTrainer.Options>(ModelTask.Regression, "Sdca", (ml, o) => ml.Regression.Trainers.Sdca(o)),
        Linear<LbfgsPoissonRegressionTrainer.Options>(ModelTask.Regression, "LbfgsPoissonRegression", (ml, o) => ml.Regression.Trainers.LbfgsPoissonRegression(o)),
        Linear<OnlineGradientDescentTrainer.Options>(ModelTask.Regression, "OnlineGradientDescent", (ml, o) => ml.Regression.Trainers.OnlineGradientDescent(o)),
    ];

    public static IReadOnlyList<TrainerEntry> All => Entries;

    public static TrainerEntry? Find(ModelTask task, string name) =>
        Entries.FirstOrDefault(e => e.Task == task && e.Name == name);

    private static TrainerEntry Trees<TOptions>(ModelTask task, string name, Func<MLContext, TOptions, IEstimator<ITransformer>> create) =>
        new(task, name, typeof(TOptions), (ml, o) => create(ml, (TOptions)o), NeedsNormalization: false, Threads: TrainingThreads.Trees);

    private static TrainerEntry Linear<TOptions>(ModelTask task, string name, Func<MLContext, TOptions, IEstimator<ITransformer>> create) =>
        new(task, name, typeof(TOptions), (ml, o) => create(ml, (TOptions)o), NeedsNormalization: true, Threads: TrainingThreads.Linear);
}

using Microsoft.ML;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Training;

/// <summary>k-fold cross-validation of one pipeline on the training data, seeded: for <c>validation.folds</c> and every sweep trial.</summary>
public static class CrossValidator
{
    /// <summary>The metrics of each fold, by the names gates and sweeps use.</summary>
    /// <param name="calibrated">Binary models with a Probability output get the calibrated metrics (log-loss, …).</param>
    public static IReadOnlyList<SortedDictionary<string, double>> Run(MLContext ml, ModelTask task, IDataView data,
        IEstimator<ITransformer> estimator, int folds, int seed, bool calibrated)
    {
        const string label = InMemoryDataView.LabelColumnName;
        return task switch
        {
            ModelTask.Multiclass => ml.MulticlassClassification.CrossValidate(data, estimator, folds, label, seed: seed)
                .Select(f => MetricReader.Read(task, f.Metrics)).ToArray(),
            ModelTask.Binary when calibrated => ml.BinaryClassification.CrossValidate(data, estimator, folds, label, seed: seed)
                .Select(f => MetricReader.Read(task, f.Metrics)).ToArray(),
            ModelTask.Binary => ml.BinaryClassification.CrossValidateNonCalibrated(data, estimator, folds, label, seed: seed)
                .Select(f => MetricReader.Read(task, f.Metrics)).ToArray(),
            _ => ml.Regression.CrossValidate(data, estimator, folds, label, seed: seed)
                .Select(f => MetricReader.Read(task, f.Metrics)).ToArray(),
        };
    }

    /// <summary>Mean and sample standard deviation of every metric measured in every fold, rounded to 9 digits.</summary>
    public static (SortedDictionary<string, double> Mean, SortedDictionary<string, double> StandardDeviation) Summarize(IReadOnlyList<IReadOnlyDictionary<string, double>> folds)
    {
        var names = folds.SelectMany(f => f.Keys).Distinct().Where(n => folds.All(f => f.ContainsKey(n)));
        var mean = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var std = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var m = folds.Average(f => f[name]);
            mean[name] = Round(m);
            std[name] = Round(Math.Sqrt(folds.Sum(f => (f[name] - m) * (f[name] - m)) / Math.Max(1, folds.Count - 1)));
        }
        return (mean, std);
    }

    private static double Round(double value) => double.IsNaN(value) ? 0 : Math.Round(value, 9);
}

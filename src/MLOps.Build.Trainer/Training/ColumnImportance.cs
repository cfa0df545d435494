using Microsoft.ML;
using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Permutation feature importance per column: how much the task's main metric drops when one column's values are
/// shuffled among the rows, before featurization. A category with hundreds of one-hot slots (or a text column with
/// thousands of n-gram slots) costs one shuffle like any other column. The sample is featurized once and each
/// shuffle scored by the predictor alone (<see cref="FeaturizedSample"/>), so a wide table pays its featurization
/// once rather than columns × permutations times.
/// </summary>
public sealed class ColumnImportance(MLContext ml, ModelTask task, ITransformer? labelMapping, ITransformer model, bool calibrated)
{
    public string Metric => task switch
    {
        ModelTask.Multiclass => "MicroAccuracy",
        ModelTask.Binary => "AreaUnderRocCurve",
        _ => "RSquared",
    };

    /// <summary>Every feature's drop (highest first), measured on a seeded sample of the rows.</summary>
    public (IReadOnlyList<FeatureImportanceCard> Features, ImportanceSampleCard Sample) Compute(TrainingTable test, ImportanceSpec spec, int seed)
    {
        var rows = RowSample.Of(test.RowCount, spec.SampleRows(test.Features.Count), seed);
        var sample = test.Select(rows);
        var (shuffled, isRead) = Shuffler(sample);
        var baseline = shuffled(0, null);
        var cards = new List<FeatureImportanceCard>();
        for (var f = 0; f < sample.Features.Count; f++)
        {
            if (!isRead(f))
            {
                // Every shuffle would score exactly the baseline.
                cards.Add(new FeatureImportanceCard(sample.Features[f].Name, Metric, 0, 0));
                continue;
            }
            var drops = new double[spec.Permutations];
            for (var p = 0; p < drops.Length; p++)
            {
                var order = Enumerable.Range(0, sample.RowCount).ToArray();
                new Random(Seeds.Derive(seed, f, p)).Shuffle(order);
                drops[p] = baseline - shuffled(f, order);
            }
            var mean = drops.Average();
            var std = drops.Length > 1 ? Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (drops.Length - 1)) : 0;
            cards.Add(new FeatureImportanceCard(sample.Features[f].Name, Metric, Round(mean), Round(std / Math.Sqrt(drops.Length))));
        }
        var ordered = cards.OrderByDescending(c => c.Drop).ThenBy(c => c.Column, StringComparer.Ordinal).ToArray();
        return (ordered, new ImportanceSampleCard(rows.Length, test.RowCount, spec.Permutations));
    }

    /// <summary>
    /// The metric with one column's rows read in another order (none: null): by the predictor over the sample featurized
    /// once when the model splits so, else by the whole model over the shuffled table; and whether the model reads a
    /// column at all (<see cref="FeaturizedSample.IsRead"/>).
    /// </summary>
    private (Func<int, int[]?, double> Score, Func<int, bool> IsRead) Shuffler(TrainingTable sample)
    {
        IDataView Mapped(TrainingTable table)
        {
            var view = new InMemoryDataView(table, includeLabel: true);
            return labelMapping?.Transform(view) ?? view;
        }
        if (FeaturizedSample.TryCreate(model, Mapped(sample), sample.Features) is not { } featurized)
        {
            return ((column, order) => Score(model.Transform(Mapped(order is null ? sample : sample.With(column, sample.Features[column].Select(order))))), _ => true);
        }
        var scored = featurized.Predictor.Transform(featurized);
        return ((column, order) =>
        {
            featurized.ReadColumnInOrder(column, order);
            return Score(scored);
        }, featurized.IsRead);
    }

    private double Score(IDataView scored)
    {
        const string label = InMemoryDataView.LabelColumnName;
        var value = task switch
        {
            ModelTask.Multiclass => ml.MulticlassClassification.Evaluate(scored, label).MicroAccuracy,
            ModelTask.Binary when calibrated => ml.BinaryClassification.Evaluate(scored, label).AreaUnderRocCurve,
            ModelTask.Binary => ml.BinaryClassification.EvaluateNonCalibrated(scored, label).AreaUnderRocCurve,
            _ => ml.Regression.Evaluate(scored, label).RSquared,
        };
        return double.IsNaN(value) ? 0 : value;
    }

    private static double Round(double value) => double.IsNaN(value) ? 0 : Math.Round(value, 9);
}

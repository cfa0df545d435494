using MLOps.Build.Comparisons;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;

namespace MLOps.Build.Trainer.Comparisons;

/// <summary>
/// A shipped ONNX model's predictions on the test rows as <see cref="ScoredRows"/>: the outputs every exported model
/// has (<see cref="OnnxExporter.ScoringOutputs"/>), read the way the generated class reads them.
/// </summary>
public static class ScoredRowsReader
{
    /// <param name="classes">The model's classes in the order of its score columns (a multiclass model's card).</param>
    /// <param name="sharedClasses">Every class either model or the test rows know, so both models' indices agree.</param>
    public static ScoredRows Read(ModelTask task, OnnxScoring scoring, TrainingTable rows, IReadOnlyList<string> classes, IReadOnlyList<string> sharedClasses)
    {
        var outputs = scoring.Run(rows, OnnxExporter.ScoringOutputs(task).Select(o => o.OnnxName));
        var scores = (float[])outputs["Score.output"];
        switch (task)
        {
            case ModelTask.Binary:
                return new BinaryScoredRows(rows.Label.Flags!, (bool[])outputs["PredictedLabel.output"], scores,
                    outputs.TryGetValue("Probability.output", out var probabilities) ? (float[])probabilities : null);
            case ModelTask.Multiclass:
                var index = sharedClasses.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
                var labels = Enumerable.Range(0, rows.RowCount).Select(r => index[rows.Label.Classes![r] ?? ""]).ToArray();
                var predicted = ((string[])outputs["PredictedLabel.output"]).Select(name => index.TryGetValue(name, out var i) ? i : -1).ToArray();
                var width = classes.Count;
                var column = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
                // A class the model never saw gets probability 0: the log-loss floor, as in ML.NET.
                var labelProbabilities = Enumerable.Range(0, rows.RowCount).Select(r =>
                    column.TryGetValue(rows.Label.Classes![r] ?? "", out var c) ? (double)scores[r * width + c] : 0).ToArray();
                return new MulticlassScoredRows(labels, predicted, labelProbabilities, sharedClasses.Count);
            default:
                return new RegressionScoredRows(rows.Label.Values!, scores);
        }
    }
}

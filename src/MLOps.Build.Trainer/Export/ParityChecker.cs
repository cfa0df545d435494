using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Export;

public sealed record ParityResult(double MaxAbsoluteDifference, double LabelAgreement, int Rows);

/// <summary>
/// Compares ONNX Runtime's scores with ML.NET's on the test set: the model a user ships is the ONNX one,
/// the metrics were measured with ML.NET, and the two must agree.
/// </summary>
public static class ParityChecker
{
    public static ParityResult Check(ModelTask task, IDataView mlnetScored, OnnxScoring onnx, TrainingTable test)
    {
        var outputs = onnx.Run(test, ["Score.output", "Probability.output", "PredictedLabel.output"]);
        var maxDiff = 0.0;

        var expectedScores = Flatten(mlnetScored, "Score");
        if (outputs.TryGetValue("Score.output", out var scores))
        {
            maxDiff = Math.Max(maxDiff, MaxDiff(expectedScores, (float[])scores));
        }
        else
        {
            maxDiff = double.PositiveInfinity;
        }
        if (task == ModelTask.Binary && mlnetScored.Schema.GetColumnOrNull("Probability") is not null && outputs.TryGetValue("Probability.output", out var probabilities))
        {
            maxDiff = Math.Max(maxDiff, MaxDiff(Flatten(mlnetScored, "Probability"), (float[])probabilities));
        }

        var agreement = 1.0;
        if (task != ModelTask.Regression && outputs.TryGetValue("PredictedLabel.output", out var labels))
        {
            var expected = task == ModelTask.Multiclass
                ? mlnetScored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray()
                : mlnetScored.GetColumn<bool>("PredictedLabel").Select(v => v ? "true" : "false").ToArray();
            var actual = labels switch
            {
                string[] s => s,
                bool[] b => b.Select(v => v ? "true" : "false").ToArray(),
                _ => [],
            };
            var same = expected.Zip(actual, (e, a) => e == a).Count(x => x);
            agreement = expected.Length == 0 ? 1.0 : (double)same / expected.Length;
        }
        return new ParityResult(maxDiff, agreement, test.RowCount);
    }

    private static float[] Flatten(IDataView view, string column)
    {
        var type = view.Schema[column].Type;
        return type is VectorDataViewType
            ? view.GetColumn<float[]>(column).SelectMany(v => v).ToArray()
            : view.GetColumn<float>(column).ToArray();
    }

    private static double MaxDiff(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return double.PositiveInfinity;
        }
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i]))
            {
                continue;
            }
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }
        return max;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Export;

public sealed record ParityResult(double MaxAbsoluteDifference, double LabelAgreement, int Rows);

/// <summary>
/// Compares a scorer's outputs with ML.NET's on the same rows: the model a user ships is the ONNX one (scored by ONNX
/// Runtime or compiled), the metrics were measured with ML.NET, and the two must agree.
/// </summary>
public static class ParityChecker
{
    /// <summary>The graph outputs compared, by their ONNX names.</summary>
    public static readonly IReadOnlyList<string> Outputs = ["Score.output", "Probability.output", "PredictedLabel.output"];

    public static ParityResult Check(ModelTask task, IDataView mlnetScored, OnnxScoring onnx, TrainingTable test) =>
        Check(task, mlnetScored, onnx.Run(test, Outputs), test.RowCount);

    /// <param name="outputs">The other scorer's outputs by ONNX name, row after row.</param>
    public static ParityResult Check(ModelTask task, IDataView mlnetScored, IReadOnlyDictionary<string, Array> outputs, int rows)
    {
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
        return new ParityResult(maxDiff, agreement, rows);
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

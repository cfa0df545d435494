using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Measures an imported model on the manifest's test rows through ONNX Runtime, so that a model trained elsewhere
/// (LightGBM on a cluster, Spark, scikit-learn, converted to ONNX) meets the same gates as one trained here. Graph
/// inputs take the data's columns by name, or one float input <c>[N, F]</c> takes the F feature columns in file order
/// (the converters' convention). The prediction is the first non-float output (the label) and the first float output
/// (probabilities, one column per class in ascending class order; a regression's value). Metrics are ML.NET's.
/// </summary>
public sealed class ImportedModelEvaluator(ModelManifest manifest, DiagnosticBag diagnostics)
{
    /// <summary>Whether the manifest asks for an evaluation: a task, a label and data.</summary>
    public static bool Applies(ModelManifest manifest) => manifest.HasTask && manifest.Label is not null && manifest.Train is not null;

    /// <summary>The test metrics; null after reporting why the model cannot be evaluated.</summary>
    public SortedDictionary<string, double>? Evaluate(byte[] onnx)
    {
        if (new ManifestTraining(diagnostics).LoadTables(manifest) is not var (_, test))
        {
            return null;
        }
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnx, options);
        if (Inputs(session, test) is not { } inputs)
        {
            return null;
        }
        using var results = session.Run(inputs);
        var outputs = results.ToDictionary(r => r.Name);
        var ml = new MLContext(manifest.Seed);
        return manifest.Task switch
        {
            ModelTask.Regression => Regression(ml, test, outputs),
            ModelTask.Binary => Binary(ml, test, outputs),
            _ => Multiclass(ml, test, outputs),
        };
    }

    private List<NamedOnnxValue>? Inputs(InferenceSession session, TrainingTable test)
    {
        var byName = test.Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var names = session.InputMetadata.Keys.ToArray();
        if (names.All(byName.ContainsKey))
        {
            return names.Select(name => Column(name, session.InputMetadata[name], byName[name], test.RowCount)).ToList();
        }
        if (names.Length == 1 && session.InputMetadata[names[0]].ElementDataType == TensorElementType.Float
            && test.Features.All(f => f.IsNumeric) && session.InputMetadata[names[0]].Dimensions.LastOrDefault() is var width
            && (width < 0 || width == test.Features.Count))
        {
            var columns = test.Features.Count;
            var values = new float[test.RowCount * columns];
            for (var row = 0; row < test.RowCount; row++)
            {
                for (var c = 0; c < columns; c++)
                {
                    values[row * columns + c] = test.Features[c].Numbers![row];
                }
            }
            return [NamedOnnxValue.CreateFromTensor(names[0], new DenseTensor<float>(values, [test.RowCount, columns]))];
        }
        diagnostics.Add(D.InvalidOnnxModel, manifest.Onnx!.PathLocation,
            $"The imported model cannot be evaluated on '{test.Path}': its inputs ({TextLimits.List(names)}) are neither columns of the data ({TextLimits.List(byName.Keys.ToArray())}) nor one float input for its {test.Features.Count} numeric feature columns in file order.");
        return null;
    }

    private static NamedOnnxValue Column(string name, NodeMetadata metadata, FeatureColumn feature, int rows)
    {
        int[] shape = metadata.Dimensions.Length <= 1 ? [rows] : [rows, 1];
        return metadata.ElementDataType switch
        {
            TensorElementType.String => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(feature.Categories!.Select(c => c ?? "").ToArray(), shape)),
            TensorElementType.Double => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(feature.Numbers!.Select(v => (double)v).ToArray(), shape)),
            TensorElementType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(feature.Numbers!.Select(v => (long)v).ToArray(), shape)),
            TensorElementType.Bool => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(feature.Numbers!.Select(v => v == 1).ToArray(), shape)),
            _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(feature.Numbers!, shape)),
        };
    }

    private SortedDictionary<string, double>? Regression(MLContext ml, TrainingTable test, Dictionary<string, DisposableNamedOnnxValue> outputs)
    {
        if (outputs.Values.FirstOrDefault(o => o.ElementType == TensorElementType.Float) is not { } score)
        {
            return Unreadable("a float output with the predicted value");
        }
        var predicted = score.AsTensor<float>().ToArray();
        var rows = test.Label.Values!.Select((label, r) => new RegressionRow { Label = label, Score = predicted[r] });
        return MetricReader.Read(ModelTask.Regression, ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(rows)));
    }

    private SortedDictionary<string, double>? Binary(MLContext ml, TrainingTable test, Dictionary<string, DisposableNamedOnnxValue> outputs)
    {
        if (outputs.Values.FirstOrDefault(o => o.ElementType == TensorElementType.Float) is not { } probabilities)
        {
            return Unreadable("a float output with the probabilities");
        }
        var values = probabilities.AsTensor<float>().ToArray();
        var columns = values.Length / Math.Max(1, test.RowCount);
        // Two columns: P(false), P(true) in ascending class order (0, 1); one: P(true).
        var probability = Enumerable.Range(0, test.RowCount).Select(r => values[r * columns + columns - 1]).ToArray();
        var rows = test.Label.Flags!.Select((label, r) => new BinaryRow
        {
            Label = label,
            // ML.NET's evaluator thresholds the score at 0: a margin, so the log-odds of the probability.
            Score = LogOdds(probability[r]),
            Probability = probability[r],
            PredictedLabel = probability[r] >= 0.5f,
        });
        return MetricReader.Read(ModelTask.Binary, ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows)));
    }

    private static float LogOdds(float probability)
    {
        var p = Math.Clamp(probability, 1e-7f, 1 - 1e-7f);
        return MathF.Log(p / (1 - p));
    }

    private SortedDictionary<string, double>? Multiclass(MLContext ml, TrainingTable test, Dictionary<string, DisposableNamedOnnxValue> outputs)
    {
        if (outputs.Values.FirstOrDefault(o => o.ElementType == TensorElementType.Float) is not { } probabilities)
        {
            return Unreadable("a float output with one probability per class");
        }
        var values = probabilities.AsTensor<float>().ToArray();
        var classes = test.Label.Classes!.Values.Distinct().OrderBy(c => c, ClassOrder.Instance).ToArray();
        var columns = values.Length / Math.Max(1, test.RowCount);
        if (columns != classes.Length)
        {
            return Unreadable($"one probability per class: the test data has {classes.Length} classes, the output {columns} columns");
        }
        var rows = Enumerable.Range(0, test.RowCount).Select(r =>
        {
            var score = values.AsSpan(r * columns, columns).ToArray();
            return new MulticlassRow { Label = test.Label.Classes![r] ?? "", Score = score, PredictedLabel = classes[Array.IndexOf(score, score.Max())] };
        }).ToArray();
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema[nameof(MulticlassRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var keyed = ml.Transforms.Conversion.MapValueToKey(
                [new InputOutputColumnPair(nameof(MulticlassRow.Label)), new InputOutputColumnPair(nameof(MulticlassRow.PredictedLabel))],
                keyData: ml.Data.LoadFromEnumerable(classes.Select(c => new ClassRow { Label = c })))
            .Fit(data).Transform(data);
        return MetricReader.Read(ModelTask.Multiclass, ml.MulticlassClassification.Evaluate(keyed));
    }

    private SortedDictionary<string, double>? Unreadable(string wanted)
    {
        diagnostics.Add(D.InvalidOnnxModel, manifest.Onnx!.PathLocation, $"The imported model cannot be evaluated: it has no {wanted}.");
        return null;
    }

    /// <summary>Numbers by value, other text ordinally: the order converters give their class columns.</summary>
    private sealed class ClassOrder : IComparer<string>
    {
        public static ClassOrder Instance { get; } = new();

        public int Compare(string? x, string? y) =>
            double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                ? a.CompareTo(b)
                : string.CompareOrdinal(x, y);
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassRow
    {
        public string Label { get; set; } = "";
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    private sealed class ClassRow
    {
        public string Label { get; set; } = "";
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Drift;
using MLOps.Onnx;
using MLOps.Build.Trainer.Tests.Infrastructure;
using static MLOps.Build.Trainer.Export.Onnx.OnnxModels;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>
/// A tree model trained elsewhere (an ONNX-ML TreeEnsemble graph, one float input [N, 2] as LightGBM and Spark
/// converters write it) comes in through <c>onnx</c> and is tested on the manifest's test data for the gates, and its
/// drift is checked against the data it was trained on.
/// </summary>
public sealed class ExternalTreeModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>One split on x1 at 0.5; the leaves carry class weights (classifiers) or values (regression).</summary>
    private static byte[] Trees(string task)
    {
        var graph = new GraphProto { Name = "trees" };
        graph.Input.Add(Value("input", TensorProto.Types.DataType.Float, "N", 2));
        AttributeProto[] nodes =
        [
            Ints("nodes_treeids", [0, 0, 0]), Ints("nodes_nodeids", [0, 1, 2]), Ints("nodes_featureids", [0, 0, 0]),
            Floats("nodes_values", [0.5f, 0, 0]), Strings("nodes_modes", new[] { "BRANCH_LEQ", "LEAF", "LEAF" }.Select(ByteString.CopyFromUtf8)),
            Ints("nodes_truenodeids", [1, 0, 0]), Ints("nodes_falsenodeids", [2, 0, 0]), String("post_transform", "NONE"),
        ];
        if (task == "regression")
        {
            graph.Output.Add(Value("variable", TensorProto.Types.DataType.Float, "N", 1));
            graph.Node.Add(Node("TreeEnsembleRegressor", "trees", MLDomain, ["input"], ["variable"],
                [.. nodes, Ints("target_treeids", [0, 0]), Ints("target_nodeids", [1, 2]), Ints("target_ids", [0, 0]), Floats("target_weights", [1f, 5f]), Int("n_targets", 1)]));
        }
        else
        {
            var classes = task == "binary" ? 2 : 3;
            // Left leaf: mostly the first class; right leaf: mostly the last.
            float[] left = classes == 2 ? [0.8f, 0.2f] : [0.6f, 0.3f, 0.1f];
            float[] right = classes == 2 ? [0.1f, 0.9f] : [0.1f, 0.3f, 0.6f];
            graph.Output.Add(Value("label", task == "binary" ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.String, "N"));
            graph.Output.Add(Value("probabilities", TensorProto.Types.DataType.Float, "N", classes));
            var labels = task == "binary" ? Ints("classlabels_int64s", [0, 1]) : Strings("classlabels_strings", new[] { "a", "b", "c" }.Select(ByteString.CopyFromUtf8));
            graph.Node.Add(Node("TreeEnsembleClassifier", "trees", MLDomain, ["input"], ["label", "probabilities"],
                [.. nodes, labels,
                 Ints("class_treeids", Enumerable.Repeat(0L, 2 * classes)),
                 Ints("class_nodeids", Enumerable.Repeat(1L, classes).Concat(Enumerable.Repeat(2L, classes))),
                 Ints("class_ids", Enumerable.Range(0, classes).Select(c => (long)c).Concat(Enumerable.Range(0, classes).Select(c => (long)c))),
                 Floats("class_weights", [.. left, .. right])]));
        }
        var model = new ModelProto { IrVersion = 7, ProducerName = "hand-built trees", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MLDomain, Version = 1 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, string rows, params long[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = rows });
        shape.Dim.AddRange(dimensions.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static string Data(string task, int rows, int seed, double shift = 0)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("x1,x2,y\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = Math.Min(1, random.NextDouble() + shift);
            var x2 = random.NextDouble();
            var noisy = random.NextDouble() < 0.1;
            var y = task switch
            {
                "binary" => (x1 > 0.5) ^ noisy ? "1" : "0",
                "regression" => ((x1 > 0.5 ? 5 : 1) + random.NextDouble() * 0.5).ToString("0.###", CultureInfo.InvariantCulture),
                _ => x1 < 0.33 ? "a" : x1 < 0.66 ? "b" : "c",
            };
            csv.Append(CultureInfo.InvariantCulture, $"{x1:0.####},{x2:0.####},{y}\n");
        }
        return csv.ToString();
    }

    [Theory]
    [InlineData("binary", "Accuracy", 0.85)]
    [InlineData("regression", "RSquared", 0.9)]
    [InlineData("multiclass", "MicroAccuracy", 0.6)]
    public void An_imported_tree_model_is_tested_on_the_manifest_s_test_data(string task, string metric, double atLeast)
    {
        _folder.Write("train.csv", Data(task, 300, 1));
        _folder.Write("test.csv", Data(task, 200, 2));
        File.WriteAllBytes(_folder.PathOf("trees.onnx"), Trees(task));
        var manifest = _folder.Write("Trees.mlmodel.json",
            $$"""{ "name": "Trees", "onnx": "trees.onnx", "task": "{{task}}", "label": "y", "data": { "train": "train.csv", "test": "test.csv" } }""");
        var diagnostics = new DiagnosticBag();

        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp"));

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(_folder.PathOf("out/metrics.json")))!;
        Assert.True(metrics[metric] >= atLeast, $"{metric} {metrics[metric]}");
        Assert.Contains($"tested: ", diagnostics.Items.Single(d => d.Id == "MLOPS2010").Message);
        // A converter's TreeEnsembleRegressor/Classifier (int64 or string labels) is compiled and checked like an export.
        using var card = JsonDocument.Parse(File.ReadAllText(_folder.PathOf("out/modelcard.json")));
        Assert.Equal("compiled", card.RootElement.GetProperty("scoring").GetProperty("engine").GetString());
    }

    [Fact]
    public void An_imported_model_naming_an_input_or_dimension_beyond_a_generated_literal_is_MLOPS1049()
    {
        var name = "x\u202E" + new string('x', 4100);
        var graph = new GraphProto { Name = "identity" };
        graph.Input.Add(Value(name, TensorProto.Types.DataType.Float, "N", 1));
        graph.Output.Add(Value("y", TensorProto.Types.DataType.Float, "rows " + new string('n', 5000), 1));
        graph.Node.Add(Node("Identity", "copy", "", [name], ["y"], []));
        var model = new ModelProto { IrVersion = 7, ProducerName = "hand-built", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        File.WriteAllBytes(_folder.PathOf("long.onnx"), model.ToByteArray());
        var manifest = _folder.Write("Long.mlmodel.json", """{ "name": "Long", "onnx": "long.onnx" }""");
        var diagnostics = new DiagnosticBag();

        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp"));

        Assert.False(ok);
        var errors = diagnostics.Items.Where(d => d.Severity == DiagnosticLevel.Error).ToArray();
        Assert.Equal(["MLOPS1049", "MLOPS1049"], errors.Select(d => d.Id));
        Assert.Contains($"with 4,102 characters ('{name[..80]}… (cut: 4,102 characters)')", errors[0].Message);
        Assert.Contains("with 5,005 characters ('rows nnn", errors[1].Message);
        Assert.False(File.Exists(_folder.PathOf("out/modelcard.json")));
    }

    [Fact]
    public void The_drift_of_an_imported_model_is_checked_against_the_data_it_was_trained_on()
    {
        _folder.Write("train.csv", Data("binary", 300, 1));
        _folder.Write("test.csv", Data("binary", 200, 2));
        _folder.Write("current.csv", Data("binary", 200, 3, shift: 0.4));
        File.WriteAllBytes(_folder.PathOf("trees.onnx"), Trees("binary"));
        var manifest = _folder.Write("Trees.mlmodel.json", """
            { "name": "Trees", "onnx": "trees.onnx", "task": "binary", "label": "y",
              "data": { "train": "train.csv", "test": "test.csv" }, "drift": { "current": "current.csv" } }
            """);
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp")), string.Join("\n", diagnostics.Items));

        Assert.True(new DriftCommand(diagnostics).Run(new DriftRequest(manifest, _folder.PathOf("out"), "drift-fp")), string.Join("\n", diagnostics.Items));

        using var report = JsonDocument.Parse(File.ReadAllBytes(_folder.PathOf("out/drift.json")));
        var drifted = report.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("drifted").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["x1"] = true, ["x2"] = false }, drifted);
    }
}

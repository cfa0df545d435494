using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Export;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>An input with two dynamic dimensions is a <see cref="ModelTensor{T}"/> whose shape the caller gives.</summary>
public sealed class DynamicTensorTests
{
    private static readonly byte[] Onnx = GridModel.Build();

    [Fact]
    public void The_fixture_card_is_what_the_importer_makes_of_the_graph()
    {
        var folder = Directory.CreateTempSubdirectory("mlops-grid-");
        try
        {
            File.WriteAllBytes(Path.Combine(folder.FullName, "grid.onnx"), Onnx);
            var manifestPath = Path.Combine(folder.FullName, "GridModel.mlmodel.json");
            File.WriteAllText(manifestPath, """{ "name": "GridModel", "onnx": { "path": "grid.onnx" } }""");
            var diagnostics = new DiagnosticBag();
            var card = new OnnxImporter(diagnostics).Import(ManifestParser.ParseFile(manifestPath, diagnostics)!, Onnx, new string('6', 64));

            var written = Path.Combine(folder.FullName, "card.json");
            MLOps.Build.Artifacts.ArtifactJson.Write(written, card!, MLOps.Build.Artifacts.ArtifactJson.ModelCard);
            var fixture = Path.Combine(MLNetPredictions.RepositoryRoot, "tests", "Fixtures", "Models", "GridModel", "modelcard.json");
            if (Environment.GetEnvironmentVariable("MLOPS_UPDATE_BASELINES") == "1")
            {
                File.Copy(written, fixture, overwrite: true);
            }
            Assert.Equal(File.ReadAllText(fixture), File.ReadAllText(written).Replace(card!.Tool.Version, "0.1.0"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_tensor_input_takes_its_shape_per_row_and_outputs_carry_the_shape_ONNX_Runtime_computed()
    {
        using var model = GridModel_.Load(Onnx);
        var grid = new ModelTensor<float>([1, 2, 3, 4, 5, 6], 2, 3);

        var output = model.Predict(new GridModel_.Input { Grid = grid });

        Assert.Equal(21f, output.Total);
        Assert.Equal([2L, 3], output.Scaled.Shape);
        Assert.Equal([2f, 4, 6, 8, 10, 12], output.Scaled.Data);

        using var session = new InferenceSession(Onnx);
        using var value = OrtValue.CreateTensorValueFromMemory(grid.Data, [1, 2, 3]);
        using var raw = session.Run(new RunOptions(), ["grid"], [value], ["scaled"]);
        Assert.Equal(raw[0].GetTensorDataAsSpan<float>().ToArray(), output.Scaled.Data);
    }

    [Fact]
    public void PredictBatch_scores_grids_of_different_shapes_correctly()
    {
        using var model = GridModel_.Load(Onnx);
        GridModel_.Input[] inputs =
        [
            new() { Grid = new ModelTensor<float>([1, 1, 1, 1], 2, 2) },
            new() { Grid = new ModelTensor<float>([1, 2, 3], 1, 3) },
            new() { Grid = new ModelTensor<float>([3, 3, 3, 3], 2, 2) },
            new() { Grid = new ModelTensor<float>([5, 5, 5], 3, 1) },
        ];
        var outputs = new GridModel_.Output[inputs.Length];

        model.PredictBatch(inputs, outputs);

        Assert.Equal([4f, 6f, 12f, 15f], outputs.Select(o => o.Total));
        Assert.Equal([[2L, 2], [1L, 3], [2L, 2], [3L, 1]], outputs.Select(o => o.Scaled.Shape.ToArray()));
        Assert.Throws<ArgumentException>(() => new ModelTensor<float>([1, 2, 3], 2, 2));
    }
}

using System.Reflection;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>Bring your own ONNX: the model card comes from the graph's inputs and outputs.</summary>
public sealed class OnnxImportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string ResNet18 => typeof(OnnxImportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ResNet18Onnx").Value!;

    private static string RepositoryFile(string path) => Path.Combine(typeof(OnnxImportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!, path);

    private (bool Ok, DiagnosticBag Diagnostics, string Output) Import(string onnxSource, string manifestExtra = "")
    {
        File.Copy(onnxSource, _folder.PathOf("model-in.onnx"));
        var manifest = _folder.Write("Imported.mlmodel.json", "{\n  \"name\": \"Imported\",\n  \"onnx\": \"model-in.onnx\"" + manifestExtra + "\n}");
        var diagnostics = new DiagnosticBag();
        var output = _folder.PathOf("out");
        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "f"));
        return (ok, diagnostics, output);
    }

    [Fact]
    public void A_real_external_model_ResNet18_becomes_a_model_card_with_flattened_tensors()
    {
        var (ok, diagnostics, output) = Import(ResNet18);

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.Equal(File.ReadAllBytes(ResNet18), File.ReadAllBytes(Path.Combine(output, "model.onnx")));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        var input = Assert.Single(card.RootElement.GetProperty("inputs").EnumerateArray());
        Assert.Equal(("Input247", "Input247", "float"), (input.GetProperty("onnxName").GetString(), input.GetProperty("property").GetString(), input.GetProperty("onnxType").GetString()));
        Assert.Equal([1L, 3, 224, 224], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var result = Assert.Single(card.RootElement.GetProperty("outputs").EnumerateArray());
        Assert.Equal(("Pooling395_Output_0", "Pooling395Output0"), (result.GetProperty("onnxName").GetString(), result.GetProperty("property").GetString()));
        Assert.Equal("onnx", card.RootElement.GetProperty("task").GetString());
        Assert.Equal(8, card.RootElement.GetProperty("onnx").GetProperty("opset").GetInt64());
        Assert.Contains(diagnostics.Items, d => d.Id == "MLOPS2010" && d.Message.Contains("imported"));
    }

    [Fact]
    public void A_graph_with_a_dynamic_row_axis_keeps_it()
    {
        var (ok, _, output) = Import(RepositoryFile("tests/Fixtures/Models/TenureModel/model.onnx"));

        Assert.True(ok);
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        Assert.All(card.RootElement.GetProperty("inputs").EnumerateArray(), i => Assert.Equal(-1, i.GetProperty("shape")[0].GetInt64()));
        Assert.Equal(["CustomerAge", "MonthlySpend", "Plan", "AutoRenew"], card.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("property").GetString()));
    }

    [Fact]
    public void A_corrupt_file_is_MLOPS2015_at_the_onnx_path()
    {
        var corrupt = _folder.Write("corrupt.onnx", "this is not a protobuf");

        var (ok, diagnostics, output) = Import(corrupt);

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(("MLOPS2015", 3, 11), (d.Id, d.Location.Line, d.Location.Column));
        Assert.False(Directory.Exists(output));
    }
}

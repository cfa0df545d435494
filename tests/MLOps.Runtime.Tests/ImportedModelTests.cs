using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>The class generated for an imported ResNet18 scores exactly as raw ONNX Runtime does.</summary>
public sealed class ImportedModelTests
{
    private static readonly byte[] Onnx = File.ReadAllBytes(typeof(ImportedModelTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ResNet18Onnx").Value!);

    private static float[] Image(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void Typed_predictions_equal_raw_ONNX_Runtime_and_batches_run_row_by_row()
    {
        using var model = ResNet18.Load(Onnx);
        var image = Image(1);

        var typed = model.Predict(new ResNet18.Input { Input247 = image });

        using var session = new InferenceSession(Onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(image, [1, 3, 224, 224]);
        using var raw = session.Run(new RunOptions(), ["Input247"], [input], ["Pooling395_Output_0"]);
        Assert.Equal(512, typed.Pooling395Output0.Length);
        Assert.Equal([3L, 224, 224], ResNet18.InputShapes.Input247);
        Assert.Equal([512L, 1, 1], ResNet18.OutputShapes.Pooling395Output0);
        Assert.Equal(raw[0].GetTensorDataAsSpan<float>().ToArray(), typed.Pooling395Output0);

        var outputs = new ResNet18.Output[2];
        model.PredictBatch(new[] { new ResNet18.Input { Input247 = Image(2) }, new ResNet18.Input { Input247 = image } }, outputs);
        Assert.Equal(typed.Pooling395Output0, outputs[1].Pooling395Output0);
        Assert.NotEqual(outputs[0].Pooling395Output0, outputs[1].Pooling395Output0);
    }

    [Fact]
    public void An_input_of_the_wrong_length_is_refused_with_its_expected_size()
    {
        using var model = ResNet18.Load(Onnx);
        var error = Assert.Throws<ArgumentException>(() => model.Predict(new ResNet18.Input { Input247 = new float[10] }));
        Assert.Contains("must hold 150528 values; it holds 10", error.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new ResNet18.Input()));
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Runtime;

// The model was trained by `dotnet build` from Models/WeatherModel.mlmodel.json and embedded in this assembly.
var onnx = EmbeddedModels.Read(typeof(Program).Assembly, "WeatherModel");
using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
using var session = new InferenceSession(onnx, options);

(string Day, float Precipitation, float TempMax, float TempMin, float Wind)[] days =
[
    ("Wet, mild winter day", 12.4f, 9.4f, 4.4f, 5.1f),
    ("Dry summer afternoon", 0.0f, 28.3f, 14.4f, 2.6f),
    ("Freezing with precipitation", 8.1f, 1.1f, -3.2f, 4.0f),
    ("Calm, cool and dry", 0.0f, 11.7f, 3.9f, 1.2f),
];

Console.WriteLine($"{"day",-30} {"predicted",-10} scores");
foreach (var day in days)
{
    var inputs = new[]
    {
        NamedOnnxValue.CreateFromTensor("precipitation", new DenseTensor<float>(new[] { day.Precipitation }, [1, 1])),
        NamedOnnxValue.CreateFromTensor("temp_max", new DenseTensor<float>(new[] { day.TempMax }, [1, 1])),
        NamedOnnxValue.CreateFromTensor("temp_min", new DenseTensor<float>(new[] { day.TempMin }, [1, 1])),
        NamedOnnxValue.CreateFromTensor("wind", new DenseTensor<float>(new[] { day.Wind }, [1, 1])),
    };
    using var results = session.Run(inputs, ["PredictedLabel.output", "Score.output"]);
    var label = results.First(r => r.Name == "PredictedLabel.output").AsTensor<string>()[0, 0];
    var scores = results.First(r => r.Name == "Score.output").AsTensor<float>().ToArray();
    Console.WriteLine($"{day.Day,-30} {label,-10} {string.Join(" ", scores.Select(s => s.ToString("0.00")))}");
}

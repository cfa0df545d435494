using MLOps.Runtime;
using WeatherForecast;

// WeatherModel is generated at compile time from the model that `dotnet build` trained from
// Models/WeatherModel.mlmodel.json; the ONNX model itself is embedded in this assembly.
// MonitorDrift counts what the app scores into the training data's bins and publishes PSI per feature.
using var model = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true });

(string Day, WeatherModel.Input Input)[] days =
[
    ("Wet, mild winter day", new() { Precipitation = 12.4f, TempMax = 9.4f, TempMin = 4.4f, Wind = 5.1f }),
    ("Dry summer afternoon", new() { Precipitation = 0.0f, TempMax = 28.3f, TempMin = 14.4f, Wind = 2.6f }),
    ("Freezing with precipitation", new() { Precipitation = 8.1f, TempMax = 1.1f, TempMin = -3.2f, Wind = 4.0f }),
    ("Calm, cool and dry", new() { Precipitation = 0.0f, TempMax = 11.7f, TempMin = 3.9f, Wind = 1.2f }),
];

Console.WriteLine($"{"day",-30} {"predicted",-10} {string.Join(" ", WeatherModel.Classes.Select(c => $"{c,7}"))}");
foreach (var (day, input) in days)
{
    WeatherModel.Output output = model.Predict(input);
    Console.WriteLine($"{day,-30} {output.PredictedLabel,-10} {string.Join(" ", output.Scores.Select(s => $"{s,7:0.00}"))}");
}

// Many rows in one ONNX Runtime call.
var inputs = days.Select(d => d.Input).ToArray();
var outputs = new WeatherModel.Output[inputs.Length];
model.PredictBatch(inputs, outputs);
Console.WriteLine($"batch: {string.Join(", ", outputs.Select(o => o.PredictedLabel))}");

// A deployed model: score a summer heat wave until stopped (Ctrl+C), while
// `dotnet-counters monitor -n WeatherForecast --counters MLOps.Runtime` shows rows scored, latency and PSI.
if (args.Contains("--serve"))
{
    var random = new Random(7);
    Console.WriteLine("serving; watch with: dotnet-counters monitor -n WeatherForecast --counters MLOps.Runtime");
    while (true)
    {
        model.Predict(new() { Precipitation = 0, TempMax = 30 + random.NextSingle() * 8, TempMin = 15 + random.NextSingle() * 5, Wind = 1 + random.NextSingle() * 3 });
        Thread.Sleep(1);
    }
}

var psi = model.DriftMonitor!.PopulationStabilityIndex();
Console.WriteLine($"drift of what this run scored (PSI vs training): {string.Join(", ", psi.Select(p => $"{p.Key} {p.Value:0.00}"))}");

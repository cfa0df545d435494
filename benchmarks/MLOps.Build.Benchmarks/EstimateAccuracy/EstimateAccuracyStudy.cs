using System.Text;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer;
using MLOps.Build.Trainer.Drift;

namespace MLOps.Build.Benchmarks.EstimateAccuracy;

/// <summary>
/// How close the accuracy estimated without labels comes to the accuracy the labels later show, on public data that
/// really shifts (<see cref="ShiftedDataSets"/>): <c>dotnet run -c Release --project benchmarks/MLOps.Build.Benchmarks --
/// estimate-accuracy</c>. Per data set and trainer, the trainer and the drift check run as the build runs them: a model
/// learns 80 % of the reference rows and is tested on the other 20 % (its calibration error goes into the card), the
/// drift check estimates its accuracy on the shifted rows without their labels, and the same model (same data, seed and
/// options: the same ONNX bytes) is then evaluated on the shifted rows with their labels.
/// </summary>
internal static class EstimateAccuracyStudy
{
    private static readonly (string Task, string Trainer)[] Trainers =
    [
        ("multiclass", "LbfgsMaximumEntropy"), ("multiclass", "LightGbm"),
        ("binary", "LbfgsLogisticRegression"), ("binary", "LightGbm"),
    ];

    public static int Run(TextWriter output)
    {
        var results = new List<string>();
        var errors = new List<double>();
        var refusedErrors = new List<double>();
        output.WriteLine("| data set | shift | trainer | rows (train / test / shifted) | test accuracy | model's calibration error | calibrated, cross-fitted | mean confidence | estimated (calibrated?) | realized | absolute error | by default |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var data in ShiftedDataSets.All())
        {
            foreach (var (_, trainer) in Trainers.Where(t => t.Task == data.Task))
            {
                var r = Measure(data, trainer);
                if (r.Refused is { } reason)
                {
                    output.WriteLine(FormattableString.Invariant(
                        $"| {data.Name} | {data.Shift} | {trainer} | {r.Train:N0} / {r.Test:N0} / {r.Shifted:N0} | {r.TestAccuracy:0.000} | {r.CalibrationError:0.000} | {r.CalibratedError:0.000} | — | — | {r.Realized:0.000} | — | refused: {reason} |"));
                    continue;
                }
                var error = Math.Abs(r.Estimated - r.Realized);
                var refused = Math.Min(r.CalibratedError, r.CalibrationError) > MLOps.Shared.ClassifierConfidence.DefaultMaxCalibrationError;
                (refused ? refusedErrors : errors).Add(error);
                output.WriteLine(FormattableString.Invariant(
                    $"| {data.Name} | {data.Shift} | {trainer} | {r.Train:N0} / {r.Test:N0} / {r.Shifted:N0} | {r.TestAccuracy:0.000} | {r.CalibrationError:0.000} | {r.CalibratedError:0.000} | {r.MeanConfidence:0.000} ({Math.Abs(r.MeanConfidence - r.Realized):0.000} off) | {r.Estimated:0.000} ± {r.Margin:0.000} ({(r.CalibratedError < r.CalibrationError ? "yes" : "no")}) | {r.Realized:0.000} | {error:0.000} | {(refused ? "refused: calibration" : "estimated")} |"));
            }
        }
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"Estimates given by default (the error of the confidence used, raw or calibrated, ≤ {MLOps.Shared.ClassifierConfidence.DefaultMaxCalibrationError}): {errors.Count}, median absolute error {Median(errors):0.000}, largest {(errors.Count == 0 ? double.NaN : errors.Max()):0.000}."));
        output.WriteLine(FormattableString.Invariant($"Refused for their calibration error: {refusedErrors.Count}, median absolute error had they been given {Median(refusedErrors):0.000}, largest {(refusedErrors.Count == 0 ? double.NaN : refusedErrors.Max()):0.000}."));
        return 0;
    }

    private sealed record Result(int Train, int Test, int Shifted, double TestAccuracy, double CalibrationError, double CalibratedError, double MeanConfidence,
        double Estimated, double Margin, double Realized, string? Refused);

    private static Result Measure(ShiftedDataSet data, string trainer)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlops-estimate-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var random = new Random(42);
            var shuffled = data.Reference.OrderBy(_ => random.Next()).ToList();
            var testCount = shuffled.Count / 5;
            Write(Path.Combine(folder, "train.csv"), data.Header, shuffled.Skip(testCount));
            Write(Path.Combine(folder, "test.csv"), data.Header, shuffled.Take(testCount));
            Write(Path.Combine(folder, "shifted.csv"), data.Header, data.Shifted);
            var metric = data.Task == "binary" ? "Accuracy" : "MicroAccuracy";

            // The build as it runs in production: tested on the reference period, drift.current without labels.
            var estimating = Manifest(folder, "estimating", data, trainer, "test.csv", drift: true);
            var estimatingOutput = Path.Combine(folder, "out-estimating");
            Train(estimating, estimatingOutput);
            var diagnostics = new DiagnosticBag();
            if (!new DriftCommand(diagnostics).Run(new DriftRequest(estimating, estimatingOutput, "fp")))
            {
                throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
            }
            using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(estimatingOutput, "modelcard.json")));
            using var drift = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(estimatingOutput, "drift.json")));
            var estimate = drift.RootElement.GetProperty("estimate");

            // Weeks later, the labels: the same model evaluated on the shifted rows.
            var realizing = Manifest(folder, "realizing", data, trainer, "shifted.csv", drift: false);
            var realizingOutput = Path.Combine(folder, "out-realizing");
            Train(realizing, realizingOutput);
            using var realized = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(realizingOutput, "modelcard.json")));
            if (realized.RootElement.GetProperty("onnx").GetProperty("sha256").GetString() != card.RootElement.GetProperty("onnx").GetProperty("sha256").GetString())
            {
                throw new InvalidOperationException($"{data.Name} {trainer}: the two builds trained different models.");
            }

            return new Result(shuffled.Count - testCount, testCount, data.Shifted.Count,
                card.RootElement.GetProperty("metrics").GetProperty(metric).GetDouble(),
                card.RootElement.GetProperty("calibration").GetProperty("error").GetDouble(),
                card.RootElement.GetProperty("calibration").GetProperty("calibratedError").GetDouble(),
                Optional(estimate, "meanConfidence"), Optional(estimate, "value"), Optional(estimate, "margin"),
                realized.RootElement.GetProperty("metrics").GetProperty(metric).GetDouble(),
                estimate.TryGetProperty("refused", out var refused) ? refused.GetString() : null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Optional(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetDouble() : double.NaN;

    private static void Train(string manifest, string output)
    {
        var diagnostics = new DiagnosticBag();
        if (!new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp")))
        {
            throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        }
    }

    private static string Manifest(string folder, string name, ShiftedDataSet data, string trainer, string test, bool drift)
    {
        var path = Path.Combine(folder, name + ".mlmodel.json");
        File.WriteAllText(path, $$"""
            {
              "name": "Study",
              "task": "{{data.Task}}",
              "label": {{JsonSerializer.Serialize(data.Label)}},
              "data": { "train": "train.csv", "test": "{{test}}" },
              "trainer": "{{trainer}}",
              "importance": false,
              "seed": 42{{(drift ? ",\n  \"drift\": { \"current\": \"shifted.csv\", \"maxCalibrationError\": 1 }" : "")}}
            }
            """);
        return path;
    }

    internal static void Write(string path, string[] header, IEnumerable<string?[]> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Quote)).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(c => Quote(c ?? ""))).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    private static string Quote(string cell) => cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

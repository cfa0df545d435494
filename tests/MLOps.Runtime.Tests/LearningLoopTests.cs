using System.Globalization;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer;
using MLOps.Cli.Commands;
using MLOps.Runtime.Hosting;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// The loop after deployment, in process: the service captures scored rows and their outcomes, <c>data add</c> turns
/// the labelled ones into a new pinned file of the training set, and the trainer learns from the grown set.
/// </summary>
[Collection(MeterListeners.Name)]
public sealed class LearningLoopTests : IDisposable
{
    private static readonly string SampleData = Path.Combine(MLNetPredictions.RepositoryRoot, "samples", "WeatherForecast", "Models", "data");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mlops-loop-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Repository(string trainPath, string pinned)
    {
        Directory.CreateDirectory(Path.Combine(_root, "Models", "data", "train"));
        File.Copy(Path.Combine(SampleData, "seattle-weather-2012-2014.csv"), Path.Combine(_root, "Models", "data", "train", "2012-2014.csv"));
        File.Copy(Path.Combine(SampleData, "seattle-weather-2015.csv"), Path.Combine(_root, "Models", "data", "2015.csv"));
        var manifest = Path.Combine(_root, "Models", "WeatherModel.mlmodel.json");
        File.WriteAllText(manifest, $$"""
            {
              "name": "WeatherModel",
              "task": "multiclass",
              "label": "weather",
              "data": {
                "train": { "path": "{{trainPath}}", "sha256": "{{pinned}}" },
                "test": "data/2015.csv"
              },
              "exclude": ["date"],
              "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15, "NumberOfIterations": 30 } },
              "seed": 42
            }
            """);
        return manifest;
    }

    /// <summary>Scores 2015 with a key per day (every row captured) and reports the outcome of the first <paramref name="labelled"/> days.</summary>
    private string[][] Serve(string capture, int labelled)
    {
        var days = File.ReadLines(Path.Combine(SampleData, "seattle-weather-2015.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        using var model = WeatherModel.Load(new ModelSessionOptions
        {
            TrackOutcomes = true, CaptureDirectory = capture, CaptureFormat = ParquetCaptureFormat.Instance, CaptureSampleRate = 1, CaptureRowsPerFile = 100,
        });
        for (var d = 0; d < days.Length; d++)
        {
            float Number(int c) => float.Parse(days[d][c], CultureInfo.InvariantCulture);
            model.Predict(new WeatherModel.Input { Precipitation = Number(1), TempMax = Number(2), TempMin = Number(3), Wind = Number(4) }, "day-" + days[d][0]);
        }
        for (var d = 0; d < labelled; d++)
        {
            Assert.True(model.RecordOutcome("day-" + days[d][0], days[d][5]));
        }
        return days;
    }

    [Fact]
    public async Task Labelled_captured_rows_become_a_pinned_file_of_the_training_set_and_the_trainer_learns_from_it()
    {
        var manifest = Repository("data/train/", "0000000000000000000000000000000000000000000000000000000000000000");
        var capture = Path.Combine(_root, "captured");
        var days = Serve(capture, labelled: 300);

        var result = await DataAddCommand.Add(manifest, capture, null, new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc));

        Assert.Null(result.Problem);
        Assert.Equal((300, 365, 0, 65), (result.Added, result.Captured, result.WithoutKey, result.WithoutOutcome));
        Assert.Equal("data/train/captured-20261205T080000Z.csv", result.File);
        Assert.Empty(result.NotCaptured); // date is excluded
        var lines = File.ReadAllLines(Path.Combine(_root, "Models", result.File!));
        Assert.Equal("date,precipitation,temp_max,temp_min,wind,weather", lines[0]);
        Assert.Equal(301, lines.Length);
        for (var d = 0; d < 300; d++)
        {
            var cells = lines[d + 1].Split(',');
            Assert.Equal("", cells[0]);
            for (var c = 1; c <= 4; c++)
            {
                Assert.Equal(float.Parse(days[d][c], CultureInfo.InvariantCulture), float.Parse(cells[c], CultureInfo.InvariantCulture));
            }
            Assert.Equal(days[d][5], cells[5]);
        }
        // The set's pin, as the shell computes it: sha256sum of the sha256sum listing of its files.
        var listing = string.Concat(new[] { "2012-2014.csv", "captured-20261205T080000Z.csv" }.Select(name =>
            Build.Hashing.FileHash.Sha256(Path.Combine(_root, "Models", "data", "train", name)) + "  " + name + "\n"));
        var expected = Build.Hashing.FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(listing));
        Assert.Equal(expected, result.Sha256);
        Assert.Contains($"\"sha256\": \"{expected}\"", File.ReadAllText(manifest));

        var output = Path.Combine(_root, "out");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp")), string.Join("\n", diagnostics.Items));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        var train = card.RootElement.GetProperty("data").GetProperty("train");
        Assert.Equal(1096 + 300, train.GetProperty("rows").GetInt32());
        Assert.Equal(expected, train.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Nothing_labelled_adds_nothing_and_a_single_training_file_or_an_existing_destination_is_refused_without_a_change()
    {
        var manifest = Repository("data/train/", "0000000000000000000000000000000000000000000000000000000000000000");
        var before = File.ReadAllText(manifest);
        var capture = Path.Combine(_root, "captured");
        Serve(capture, labelled: 0);

        var nothing = await DataAddCommand.Add(manifest, capture, null, DateTime.UtcNow);
        Assert.Equal((null, 0, 365, 365), (nothing.File, nothing.Added, nothing.Captured, nothing.WithoutOutcome));
        Assert.Null(nothing.Problem);

        var taken = Path.Combine(_root, "Models", "data", "train", "2012-2014.csv");
        var existing = await DataAddCommand.Add(manifest, capture, taken, DateTime.UtcNow);
        Assert.Null(existing.Problem); // nothing labelled: the destination is not even looked at

        File.WriteAllText(manifest, before.Replace("\"data/train/\"", "\"data/train/2012-2014.csv\""));
        Serve(Path.Combine(_root, "captured-2"), labelled: 10);
        var single = await DataAddCommand.Add(manifest, Path.Combine(_root, "captured-2"), null, DateTime.UtcNow);
        Assert.Contains("make it a folder", single.Problem);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "Models", "data", "train")));

        File.WriteAllText(manifest, before);
        var replace = await DataAddCommand.Add(manifest, Path.Combine(_root, "captured-2"), taken, DateTime.UtcNow);
        Assert.Contains("never replaces a file", replace.Problem);
        Assert.Equal(before, File.ReadAllText(manifest));
    }

    [Fact]
    public async Task A_named_pipe_or_an_empty_file_in_the_training_set_or_the_capture_is_refused_never_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var manifest = Repository("data/train/", "0000000000000000000000000000000000000000000000000000000000000000");
        var before = File.ReadAllText(manifest);
        var capture = Path.Combine(_root, "captured");
        Serve(capture, labelled: 10);
        var pipe = Path.Combine(_root, "Models", "data", "train", "2016.csv");
        Assert.Equal(0, MakeFifo(pipe, 0b110_100_100));

        // Opening a pipe waits for a writer that never comes: a regression here hangs, so each run is bounded.
        var set = await Task.Run(() => DataAddCommand.Add(manifest, capture, null, DateTime.UtcNow)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("data.train file '2016.csv' is empty (0 bytes), or is not a regular file (a named pipe or a device, which is never opened): there is nothing to take the columns from or to pin.", set.Problem);

        File.Delete(pipe);
        Assert.Equal(0, MakeFifo(Path.Combine(capture, "capture-zz.parquet"), 0b110_100_100));
        var captured = await Task.Run(() => DataAddCommand.Add(manifest, capture, null, DateTime.UtcNow)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Contains("capture-zz.parquet' is empty (0 bytes), or is not a regular file", captured.Problem);

        Assert.Equal(before, File.ReadAllText(manifest));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "Models", "data", "train")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [Fact]
    public async Task Hostile_cells_and_names_are_written_so_that_the_trainers_reader_reads_them_back_exactly()
    {
        Directory.CreateDirectory(_root);
        string[] header = ["note, with comma", "weather"];
        string?[] hostile = ["a,b", "quote\"d", "line\nbreak\r\n", "日本語\U0001F600", "a\u2028b", "\u202Eevil", " padded ", "", null, new string('x', 100_000)];
        var path = Path.Combine(_root, "hostile.csv");

        await MLOps.Cli.Data.TrainingFile.WriteAsync(path, header, hostile.Select(h => new object?[] { h, 1.5f }).ToArray());

        var bag = new DiagnosticBag();
        var read = MLOps.Build.Trainer.Data.DelimitedFileReader.Read(path, "hostile.csv",
            [new(header[0], MLOps.Build.Trainer.Data.CellType.Text, "text"), new("weather", MLOps.Build.Trainer.Data.CellType.Number, "float")], bag);
        Assert.Empty(bag.Items);
        Assert.Equal(header, read!.Headers);
        // Written exactly; the trainer trims a cell's surrounding white space, as it does for every file.
        Assert.Equal(hostile.Select(h => h?.Trim() is { Length: > 0 } t ? t : null), read.Columns[0]!.Categories!);
        Assert.Contains("\"line\nbreak\r\n\"", File.ReadAllText(path));
        Assert.All(read.Columns[1]!.Numbers!, n => Assert.Equal(1.5f, n));
        Assert.Empty(Directory.GetFiles(_root, ".*")); // no temporary file left
    }
}

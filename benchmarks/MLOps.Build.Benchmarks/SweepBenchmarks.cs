using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Progress;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// A sweep's cost: 16 LightGbm and FastTree configurations of the sample's search space, each cross-validated
/// 3-fold on the sample's 1,096 training rows. The baseline is ML.NET called directly on the same configurations
/// (TextLoader, MapValueToKey, Concatenate, the trainer's options class, CrossValidate), one after another on one
/// thread. The sweep runs them through <see cref="SweepRunner"/> exactly as the build's trainer does (trial
/// fingerprints, the trial store, records), one trial at a time and with every core (worker processes), with an
/// empty trial cache each time. Goal: one trial at a time ≤ 1.10× the baseline. Scaling over cores, which needs
/// whole processes pinned to one core, is <see cref="SweepScalingBenchmarks"/>.
/// </summary>
[Config(typeof(MonitoringConfig))]
public class SweepBenchmarks
{
    private const int Trials = 16;
    private ModelManifest _manifest = null!;
    private TrainingTable _train = null!;
    private IReadOnlyList<ResolvedSpace> _spaces = null!;
    private IReadOnlyList<TrialConfig> _configs = null!;
    private IDataView _directData = null!;
    private string _work = "";

    private sealed class WeatherRow
    {
        [LoadColumn(1)] public float Precipitation { get; set; }
        [LoadColumn(2)] public float TempMax { get; set; }
        [LoadColumn(3)] public float TempMin { get; set; }
        [LoadColumn(4)] public float Wind { get; set; }
        [LoadColumn(5)] public string Weather { get; set; } = "";
    }

    [GlobalSetup]
    public void Setup()
    {
        _work = Path.Combine(Path.GetTempPath(), "mlops-sweep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);
        var data = Path.Combine(ScoringFixture.RepositoryRoot, "samples", "WeatherForecast", "Models", "data");
        var manifestPath = WriteManifest(_work, Trials);
        var diagnostics = new DiagnosticBag();
        _manifest = ManifestParser.ParseFile(manifestPath, diagnostics) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        _train = new ManifestTraining(diagnostics).Read(_manifest)?.Train ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        _spaces = SearchSpaces.Resolve(_manifest, diagnostics) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        _configs = [.. TrialSampler.Random(_spaces, _manifest.Seed).Take(Trials)];
        _directData = new MLContext(_manifest.Seed).Data.LoadFromTextFile<WeatherRow>(
            Path.Combine(data, "seattle-weather-2012-2014.csv"), separatorChar: ',', hasHeader: true);
        _directData = new MLContext(_manifest.Seed).Data.Cache(_directData);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    /// <summary>The sample's data and search space (LightGbm and FastTree, 3-fold), importance off: the sweep is the work.</summary>
    internal static string WriteManifest(string directory, int trials)
    {
        var data = Path.Combine(ScoringFixture.RepositoryRoot, "samples", "WeatherForecast", "Models", "data");
        var path = Path.Combine(directory, "Weather.mlmodel.json");
        File.WriteAllText(path, $$"""
            {
              "name": "Weather", "task": "multiclass", "label": "weather",
              "data": { "train": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(data, "seattle-weather-2012-2014.csv"))}},
                        "test": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(data, "seattle-weather-2015.csv"))}} },
              "exclude": ["date"],
              "sweep": {
                "trials": {{trials}}, "folds": 3, "trainers": ["LightGbm", "FastTree"],
                "space": {
                  "LightGbm": { "NumberOfLeaves": { "min": 4, "max": 32, "scale": "log" }, "LearningRate": { "min": 0.02, "max": 0.3, "scale": "log" }, "NumberOfIterations": [50, 100] },
                  "FastTree": { "NumberOfLeaves": { "min": 4, "max": 32, "scale": "log" }, "LearningRate": { "min": 0.02, "max": 0.3, "scale": "log" }, "NumberOfTrees": [50, 100] }
                }
              },
              "importance": false,
              "seed": 42
            }
            """);
        return path;
    }

    [Benchmark(Baseline = true, Description = "ML.NET CrossValidate, called directly, one configuration after another")]
    public double MLNetDirect()
    {
        var total = 0.0;
        foreach (var config in _configs)
        {
            var ml = new MLContext(_manifest.Seed);
            var options = config.OptionValues();
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(WeatherRow.Weather))
                .Append(ml.Transforms.Concatenate("Features", nameof(WeatherRow.Precipitation), nameof(WeatherRow.TempMax), nameof(WeatherRow.TempMin), nameof(WeatherRow.Wind)))
                .Append(Trainer(ml, config.Trainer, options));
            total += ml.MulticlassClassification.CrossValidate(_directData, pipeline, 3, seed: _manifest.Seed).Average(f => f.Metrics.MacroAccuracy);
        }
        return total;
    }

    [Benchmark(Description = "the build's sweep, one trial at a time")]
    public double SweepOneCore() => Sweep(1);

    [Benchmark(Description = "the build's sweep, every core")]
    public double SweepEveryCore() => Sweep(Environment.ProcessorCount);

    private double Sweep(int parallelism)
    {
        var store = TrialStore.For(Path.Combine(_work, Guid.NewGuid().ToString("N")), sharedDirectory: null);
        var result = new SweepRunner(_manifest, _train, "benchmark", "benchmark", store, TrainerProgress.Silent, parallelism)
            .Run(_spaces, new DiagnosticBag()) ?? throw new InvalidOperationException("The sweep found no winner.");
        return result.Summary.Best.Mean;
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, string trainer, IReadOnlyDictionary<string, object?> options)
    {
        int Int(string name) => Convert.ToInt32(options[name], System.Globalization.CultureInfo.InvariantCulture);
        double Double(string name) => Convert.ToDouble(options[name], System.Globalization.CultureInfo.InvariantCulture);
        return trainer switch
        {
            "LightGbm" => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfLeaves = Int("NumberOfLeaves"), LearningRate = Double("LearningRate"), NumberOfIterations = Int("NumberOfIterations"),
                NumberOfThreads = 1, Seed = 42, Verbose = false,
            }),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfLeaves = Int("NumberOfLeaves"), LearningRate = Double("LearningRate"), NumberOfTrees = Int("NumberOfTrees"),
                NumberOfThreads = 1, Seed = 42,
            })),
        };
    }
}

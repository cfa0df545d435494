using System.Diagnostics;
using MLOps.Build.Artifacts;
using MLOps.Build.Hashing;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>
/// A model is the same bytes on a laptop and a many-core CI runner: the trainer, run as the build runs it, is given one
/// processor (pinned to one core, and the runtime told so) and sixteen (the runtime told so, with this machine's cores
/// under it). What the processor count decides (how many trials run at once, the runtime's pools and ML.NET's own
/// parallelism) must not reach the model; the threads a model trains with are fixed (<see cref="TrainingThreads"/>).
/// </summary>
public sealed class ProcessorCountTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ProcessorCountTests()
    {
        // Enough rows that the tree trainers split their work between their threads.
        _folder.Write("train.csv", SyntheticData.Csv(20_000, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(300, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Models() => ["sweep", "fasttree"];

    private static string Manifest(string name) => name switch
    {
        // A sweep over both tree trainers: trials run one per processor, the winner with its fixed threads.
        "sweep" => """
            {
              "name": "Penguins",
              "task": "multiclass",
              "label": "species",
              "data": { "train": "train.csv", "test": "test.csv" },
              "exclude": ["id", "heavy", "bill depth"],
              "importance": false,
              "sweep": { "trials": 6, "folds": 2, "strategy": "random", "trainers": ["LightGbm", "FastTree"],
                         "space": { "LightGbm": { "NumberOfIterations": [20, 40] }, "FastTree": { "NumberOfTrees": [20, 40] } } },
              "seed": 5
            }
            """,
        _ => SyntheticData.Manifest("regression", "bill depth", "FastTree", extra: ",\n  \"importance\": false"),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void One_processor_or_sixteen_the_trainer_gives_the_same_model_bytes(string name)
    {
        var path = _folder.Write(name + ".mlmodel.json", Manifest(name));

        var one = Train(path, name + "-one", processors: 1);
        var sixteen = Train(path, name + "-sixteen", processors: 16);

        Assert.Equal(FileHash.Sha256(Path.Combine(one.Output, "model.onnx")), FileHash.Sha256(Path.Combine(sixteen.Output, "model.onnx")));
        Assert.Equal(File.ReadAllText(Path.Combine(one.Output, "modelcard.json")), File.ReadAllText(Path.Combine(sixteen.Output, "modelcard.json")));
        if (name == "sweep")
        {
            Assert.Contains(", 1 at a time", one.Log, StringComparison.Ordinal);
            Assert.Contains(", 16 at a time", sixteen.Log, StringComparison.Ordinal);
            // The same trials with the same scores (their timings aside).
            Assert.Equal(Trials(one.Output), Trials(sixteen.Output));
        }
    }

    private static IEnumerable<string> Trials(string output) => ArtifactJson.Read(Path.Combine(output, "sweep.json"), ArtifactJson.SweepReport)
        .Trials.Select(t => $"{t.Index} {t.Trainer} {t.Fingerprint} {string.Join(",", t.Mean)}");

    /// <summary>A core this process may run on: CI containers are often given a set that does not start at core 0.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static int FirstAllowedCore() =>
        System.Numerics.BitOperations.TrailingZeroCount((ulong)Process.GetCurrentProcess().ProcessorAffinity.ToInt64());

    /// <summary>The trainer's <c>train</c> command in a process of its own, seeing <paramref name="processors"/> processors.</summary>
    private (string Output, string Log) Train(string manifest, string output, int processors)
    {
        var trainer = typeof(TrainCommand).Assembly.Location;
        // One processor is one core for the native trainers too (LightGBM's OpenMP counts the cores it may run on).
        var pinned = processors == 1 && OperatingSystem.IsLinux() && File.Exists("/usr/bin/taskset");
        var start = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : "dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        var arguments = new List<string> { "exec", trainer, "train", "--manifest", manifest, "--output", _folder.PathOf(output), "--fingerprint", new string('2', 64) };
        if (pinned && OperatingSystem.IsLinux())
        {
            arguments.InsertRange(0, ["-c", FirstAllowedCore().ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet"]);
        }
        arguments.ForEach(start.ArgumentList.Add);
        start.Environment[MLOps.Build.Trainer.Sweeps.Workers.TrialWorker.ProcessorCountVariable] = processors.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }
        Assert.True(process.HasExited && process.ExitCode == 0, $"{log.Result}\n{errors.Result}");
        return (_folder.PathOf(output), log.Result + errors.Result);
    }
}

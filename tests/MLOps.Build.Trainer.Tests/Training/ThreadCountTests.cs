using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>
/// Models train with more than one thread only where the thread count cannot change them: the tree trainers give the
/// same bytes at one, two and four threads, so four (their fixed count) is safe on any machine.
/// </summary>
public sealed class ThreadCountTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ThreadCountTests()
    {
        // Enough rows that the trainers split their work between threads.
        _folder.Write("train.csv", SyntheticData.Csv(20_000, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(300, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> TreeTrainers()
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in TrainerRegistry.All.Where(e => e.Threads > 1))
        {
            data.Add(entry.Task.ToName(), entry.Name);
        }
        return data;
    }

    private string ModelHash(string task, string trainer, string options, string output)
    {
        var label = task switch { "binary" => "heavy", "multiclass" => "species", _ => "bill depth" };
        var manifest = _folder.Write("M.mlmodel.json", SyntheticData.Manifest(task, label, trainer, options, extra: ",\n  \"importance\": false"));
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf(output), "f")), string.Join("\n", diagnostics.Items));
        return FileHash.Sha256(_folder.PathOf(output + "/model.onnx"));
    }

    [Theory]
    [MemberData(nameof(TreeTrainers))]
    public void A_tree_trainer_gives_the_same_model_at_one_two_and_four_threads(string task, string trainer)
    {
        var byDefault = ModelHash(task, trainer, "{}", "default");

        Assert.True(ModelTasks.TryParse(task, out var parsed));
        Assert.Equal(TrainingThreads.Trees, TrainerRegistry.Find(parsed, trainer)!.Threads);
        foreach (var threads in new[] { 1, 2, 4 })
        {
            Assert.Equal(byDefault, ModelHash(task, trainer, $"{{ \"NumberOfThreads\": {threads} }}", $"threads{threads}"));
        }
    }

    [Fact]
    public void Every_linear_trainer_trains_with_one_thread()
    {
        Assert.All(TrainerRegistry.All.Where(e => e.NeedsNormalization), e => Assert.Equal(TrainingThreads.Linear, e.Threads));
        // SDCA's threads race: with its one thread, two runs give one model.
        Assert.Equal(ModelHash("regression", "Sdca", "{}", "first"), ModelHash("regression", "Sdca", "{}", "second"));
    }
}

using MLOps.Build.Caching;
using MLOps.Build.Protocol;
using MLOps.Build.Tasks.Train;

namespace MLOps.Build.Tests.Protocol;

/// <summary>The task–trainer command line: what the build writes is what the trainer reads, every option included.</summary>
public sealed class TrainerArgumentsTests
{
    public static TheoryData<TrainerArguments> Cases() => new()
    {
        new TrainerArguments("train", "/repo/Models/M.mlmodel.json")
        {
            OutputDirectory = "/repo/obj/mlops/M", Fingerprint = new string('a', 64), RepositoryRoot = @"C:\My Repo\", ParentProcessId = 4242,
            TrialCacheDirectory = "/cache/trials", Parallelism = 3, Shard = "2/4",
            RemoteCache = new RemoteCacheSettings("https://cache.example.com/mlops/", Write: true, TimeoutSeconds: 7, TokenVariable: "CACHE_TOKEN"),
            ResultPath = "/tmp/mlops-trainer-result-1.json",
            AcceptedDirectory = "/repo/obj/mlops/M/accepted",
            RunHistoryPath = "/home/u/.mlops/runs/repo-1a2b3c4d/M.jsonl",
        },
        new TrainerArguments("snapshot", "M.mlmodel.json") { OutputDirectory = "", Fingerprint = "", RepositoryRoot = "/repo", UpdateLock = true },
        new TrainerArguments("drift", "Models/Ünïcode ☃.mlmodel.json") { OutputDirectory = "out dir", Fingerprint = "f" },
        new TrainerArguments("trial-worker", "M.mlmodel.json"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void What_the_build_formats_the_trainer_parses_back(TrainerArguments sent)
    {
        Assert.Equal(sent, TrainerArguments.Parse(sent.Format()));
    }

    [Fact]
    public void The_launch_runs_the_trainer_with_exactly_those_arguments()
    {
        var launch = new TrainerLaunch("dotnet", "/pkg/tools/trainer/MLOps.Build.Trainer.dll", "/repo/M.mlmodel.json", "/repo/obj/mlops/M", "fp", "/repo", TimeSpan.FromMinutes(1))
        {
            Command = "snapshot",
            UpdateLock = true,
            RemoteCache = new RemoteCacheSettings("https://cache/", Write: false),
        };

        Assert.Equal(["exec", "/pkg/tools/trainer/MLOps.Build.Trainer.dll"], launch.Arguments.Take(2));
        var read = TrainerArguments.Parse(launch.Arguments.Skip(2).ToList())!;
        Assert.Equal(("snapshot", "/repo", true, "https://cache/", false), (read.Command, read.RepositoryRoot, read.UpdateLock, read.RemoteCache!.Url, read.RemoteCache.Write));
        Assert.Equal(launch.ParentProcessId, read.ParentProcessId);
    }

    [Fact]
    public void No_command_or_no_manifest_is_no_arguments()
    {
        Assert.Null(TrainerArguments.Parse([]));
        Assert.Null(TrainerArguments.Parse(["train", "--output", "x"]));
    }
}

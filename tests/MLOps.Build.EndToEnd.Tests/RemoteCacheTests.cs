using MLOps.Build.Testing;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Two "machines" (fresh consumers with their own local caches) share trained models through stock nginx speaking
/// Bazel's HTTP cache layout; a server that is down, failing or serving a damaged blob never fails a build.
/// </summary>
[Collection(PackagesCollection.Name)]
[Trait(TestTiers.Trait, TestTiers.Server)]
public sealed class RemoteCacheTests(PackagesFixture packages)
{
    private ConsumerProject Clone(string name)
    {
        var project = new ConsumerProject(packages, name);
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");
        return project;
    }

    [Fact]
    public void A_model_trained_and_uploaded_on_one_machine_is_downloaded_on_another_and_a_broken_server_never_fails_a_build()
    {
        var folder = Directory.CreateTempSubdirectory("mlops-nginx-");
        using var server = new NginxCacheServer(folder.FullName);
        using var a = Clone("MachineA");
        using var b = Clone("MachineB");
        using var c = Clone("MachineC");
        var remote = $"MLOpsRemoteCache={server.Url}";

        a.Verify(nameof(A_model_trained_and_uploaded_on_one_machine_is_downloaded_on_another_and_a_broken_server_never_fails_a_build), () =>
        {
            // A developer machine reads but does not write by default: nothing is uploaded.
            var readOnly = a.Build("MLOpsUpdateLock=true", remote, "MLOpsRemoteCacheWrite=false");
            Assert.True(readOnly.Succeeded, readOnly.Output);
            Assert.Empty(server.Entries());

            // CI writes: clone A trains and uploads three blobs and, last, the record.
            a.Write("Models/LoanApproval.mlmodel.json", a.Read("Models/LoanApproval.mlmodel.json").Replace("\"seed\": 3", "\"seed\": 4"));
            var upload = a.Build("MLOpsUpdateLock=true", remote, "MLOpsRemoteCacheWrite=true");
            Assert.True(upload.Succeeded, upload.Output);
            Assert.Contains("MLOPS2010: LoanApproval", upload.Output);
            Assert.Contains("MLOPS2033: LoanApproval", upload.Output);
            Assert.Equal(1, server.Entries().Count(e => e.StartsWith("ac/", StringComparison.Ordinal)));
            Assert.Equal(3, server.Entries().Count(e => e.StartsWith("cas/", StringComparison.Ordinal)));

            // Clone B, with an empty local cache, downloads the same model and trains nothing.
            b.Write("Models/LoanApproval.mlmodel.json", a.Read("Models/LoanApproval.mlmodel.json"));
            b.Write("Models/LoanApproval.mlmodel.lock.json", a.Read("Models/LoanApproval.mlmodel.lock.json"));
            var download = b.Build(remote);
            Assert.True(download.Succeeded, download.Output);
            Assert.Contains("MLOPS2030: LoanApproval", download.Output);
            Assert.DoesNotContain("MLOPS2010", download.Output);
            Assert.Equal(a.ModelHash("LoanApproval"), b.ModelHash("LoanApproval"));

            // A blob damaged on the server: a warning, the entry ignored, the model trained, the build green.
            // The ONNX blob is the one that is not JSON (the model card and metrics are).
            var onnx = server.Entries().Single(e => e.StartsWith("cas/", StringComparison.Ordinal) && File.ReadAllBytes(server.PathOf(e))[0] != (byte)'{');
            File.WriteAllText(server.PathOf(onnx), "not the model");
            c.Write("Models/LoanApproval.mlmodel.json", a.Read("Models/LoanApproval.mlmodel.json"));
            c.Write("Models/LoanApproval.mlmodel.lock.json", a.Read("Models/LoanApproval.mlmodel.lock.json"));
            var damaged = c.Build(remote);
            Assert.True(damaged.Succeeded, damaged.Output);
            Assert.Single(damaged.WithCode("MLOPS2032"));
            Assert.Contains("MLOPS2010: LoanApproval", damaged.Output);
            Assert.Equal(a.ModelHash("LoanApproval"), c.ModelHash("LoanApproval"));

            // The server down: one warning, the model trained, the build green.
            server.Dispose();
            c.Write("Models/LoanApproval.mlmodel.json", c.Read("Models/LoanApproval.mlmodel.json").Replace("\"seed\": 4", "\"seed\": 5"));
            var down = c.Build("MLOpsUpdateLock=true", remote, "MLOpsRemoteCacheTimeout=2");
            Assert.True(down.Succeeded, down.Output);
            var warning = Assert.Single(down.WithCode("MLOPS2031"));
            Assert.Equal("warning", warning.Severity);
            Assert.Contains("MLOPS2010: LoanApproval", down.Output);
        });
        folder.Delete(recursive: true);
    }

    private const string SweptWeather = """
        {
          "name": "SweptWeather",
          "task": "multiclass",
          "label": "weather",
          "data": {
            "train": { "path": "data/seattle-weather-2012-2014.csv" },
            "test": { "path": "data/seattle-weather-2015.csv" }
          },
          "exclude": ["date"],
          "sweep": {
            "trials": 6,
            "folds": 2,
            "trainers": ["LightGbm"],
            "space": { "LightGbm": { "NumberOfLeaves": { "min": 4, "max": 16 }, "NumberOfIterations": [20, 40] } }
          },
          "seed": 42
        }
        """;

    /// <summary><c>dotnet build -t:MLOpsTrainModels</c>: what a shard job runs (nothing to compile without a model).</summary>
    private static BuildResult TrainOnly(ConsumerProject project, params string[] properties)
    {
        using var running = project.StartBuildOf(project.Root, properties, "-t:MLOpsTrainModels");
        return ConsumerProject.ToBuildResult(running.Wait(TimeSpan.FromMinutes(10)));
    }

    private ConsumerProject SweepClone(string name)
    {
        var project = new ConsumerProject(packages, name);
        project.CopySampleWeatherData();
        project.Write("Models/SweptWeather.mlmodel.json", SweptWeather);
        project.SetModels("Models/SweptWeather.mlmodel.json");
        return project;
    }

    [Fact]
    public void Two_shards_of_a_sweep_on_two_machines_fill_the_remote_cache_and_a_third_assembles_the_winner_without_running_a_trial()
    {
        var folder = Directory.CreateTempSubdirectory("mlops-nginx-");
        using var server = new NginxCacheServer(folder.FullName);
        using var first = SweepClone("ShardOne");
        using var second = SweepClone("ShardTwo");
        using var assembler = SweepClone("Assembler");
        var remote = $"MLOpsRemoteCache={server.Url}";

        first.Verify(nameof(Two_shards_of_a_sweep_on_two_machines_fill_the_remote_cache_and_a_third_assembles_the_winner_without_running_a_trial), () =>
        {
            // A CI matrix: each job runs only the training target with its shard, and uploads its trials.
            var one = TrainOnly(first, "MLOpsUpdateLock=true", remote, "MLOpsRemoteCacheWrite=true", "MLOpsSweepShard=1/2");
            Assert.True(one.Succeeded, one.Output);
            Assert.Contains("MLOPS2024: SweptWeather: sweep shard 1/2 ran its 3 trials (0 cached, 3 trained)", one.Output);
            Assert.DoesNotContain("MLOPS2010", one.Output);
            var two = TrainOnly(second, "MLOpsUpdateLock=true", remote, "MLOpsRemoteCacheWrite=true", "MLOpsSweepShard=2/2");
            Assert.True(two.Succeeded, two.Output);
            Assert.Contains("sweep shard 2/2 ran its 3 trials (0 cached, 3 trained)", two.Output);
            Assert.Equal(6, server.Entries().Count(e => e.StartsWith("ac/", StringComparison.Ordinal)));

            // The final job, with an empty local cache, runs no trial and trains only the winner.
            var final = assembler.Build("MLOpsUpdateLock=true", remote);
            Assert.True(final.Succeeded, final.Output);
            Assert.Contains("SweptWeather: sweep of 6 trials (6 cached, 0 trained)", final.Output);
            Assert.Contains("MLOPS2010: SweptWeather: trained LightGbm", final.Output);
        });
        folder.Delete(recursive: true);
    }
}

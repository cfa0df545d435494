using System.Diagnostics;
using MLOps.Build.Trainer.Hosting;

namespace MLOps.Build.Trainer.Tests.Hosting;

/// <summary>A build killed outright (kill -9) leaves no trainer behind: the trainer watches the process that started it.</summary>
public sealed class ParentProcessWatchTests
{
    [Fact]
    public void The_watch_fires_when_the_parent_is_killed()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        using var gone = new ManualResetEventSlim();
        ParentProcessWatch.Start(parent.Id, gone.Set);
        Assert.False(gone.Wait(TimeSpan.FromMilliseconds(600)), "fired while the parent ran");

        parent.Kill();

        Assert.True(gone.Wait(TimeSpan.FromSeconds(10)), "did not fire after the parent was killed");
    }

    [Fact]
    public async Task A_trainer_whose_build_is_gone_stops_at_once_and_writes_nothing()
    {
        using var parent = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        parent.WaitForExit();
        var output = Path.Combine(Path.GetTempPath(), "mlops-orphan-" + Guid.NewGuid().ToString("N")[..8]);
        var manifest = Path.Combine(RepositoryRoot(), "tests", "Fixtures", "Models", "ChurnModel.mlmodel.json");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "exec", typeof(TrainCommand).Assembly.Location, "train", "--manifest", manifest, "--output", output, "--fingerprint", new string('1', 64), "--parent-pid", parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var trainer = Process.Start(start)!;
        var errors = trainer.StandardError.ReadToEndAsync();
        var exited = trainer.WaitForExit(TimeSpan.FromSeconds(30));
        if (!exited)
        {
            trainer.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "the trainer ran on without its build");
        Assert.NotEqual(0, trainer.ExitCode);
        Assert.Contains("The build that started this trainer has exited", await errors);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MLOps.Build.sln")))
        {
            directory = directory.Parent;
        }
        return directory!.FullName;
    }
}

using MLOps.Build.Testing;
using Microsoft.Build.Utilities;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Drift;

/// <summary>The drift task against stand-in trainers (POSIX shell scripts launched in place of <c>dotnet</c>).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(TestTiers.Trait, TestTiers.ChildProcess)]
public sealed class CheckDriftTaskTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _repo.Dispose();

    private string ReportPath => Path.Combine(_repo.Root, "obj", "mlops", "M", "drift.json");

    private bool Run(string script, string driftFingerprint = "d1")
    {
        var host = StandInTrainer.Write(_repo, script);
        var item = new TaskItem(Path.Combine(_repo.Root, "M.mlmodel.json"));
        item.SetMetadata("ModelName", "M");
        item.SetMetadata("ArtifactsDirectory", Path.GetDirectoryName(ReportPath));
        item.SetMetadata("RepositoryRoot", _repo.Root);
        item.SetMetadata("DriftFingerprint", driftFingerprint);
        item.SetMetadata("DriftReportPath", ReportPath);
        return new Tasks.CheckDrift { BuildEngine = _engine, Models = [item], TrainerAssembly = host, DotnetHost = StandInTrainer.Launcher }.Execute();
    }

    [Fact]
    public void A_report_for_the_same_inputs_skips_the_check()
    {
        _repo.Write("obj/mlops/M/drift.json", """{ "schemaVersion": 1, "inputsFingerprint": "d1" }""");

        Assert.True(Run("echo started > " + Path.Combine(_repo.Root, "started") + "; exit 1"));

        Assert.False(File.Exists(Path.Combine(_repo.Root, "started")));
        Assert.Empty(_engine.Logged);
    }

    [Fact]
    public void A_report_for_other_inputs_is_recomputed_with_the_drift_command()
    {
        _repo.Write("obj/mlops/M/drift.json", """{ "schemaVersion": 1, "inputsFingerprint": "old" }""");
        var arguments = Path.Combine(_repo.Root, "arguments");

        Assert.True(Run($"echo \"$@\" > {arguments}; printf '{{ \"inputsFingerprint\": \"d1\" }}' > {ReportPath}; echo 'MLOPS4100: checked'; succeed"));

        Assert.Contains("drift --manifest", File.ReadAllText(arguments));
        Assert.Contains("--fingerprint d1", File.ReadAllText(arguments));
        Assert.Empty(_engine.Errors);
    }

    [Fact]
    public void A_check_that_writes_no_report_is_MLOPS4105()
    {
        Assert.False(Run("succeed; exit 0"));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS4105", Path.Combine(_repo.Root, "M.mlmodel.json")), (error.Code, error.File));
    }

    [Fact]
    public void A_damaged_report_is_not_trusted()
    {
        _repo.Write("obj/mlops/M/drift.json", """{ "inputsFingerprint": "d1" """);
        var started = Path.Combine(_repo.Root, "started");

        Run($"echo x > {started}; exit 1");

        Assert.True(File.Exists(started));
    }
}

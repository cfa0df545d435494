using Microsoft.Build.Utilities;
using MLOps.Build.Testing;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Provenance;

/// <summary>The provenance task in a no-op build: skipped while nothing it is made from changed, run again as soon as something did.</summary>
public sealed class WriteProvenanceTaskTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private string Artifacts => Path.Combine(_repo.Root, "obj", "mlops", "WeatherModel");

    private string ProvenancePath => Path.Combine(Artifacts, "provenance.json");

    private bool Run(string projectVersion = "1.0.0")
    {
        var item = new TaskItem(Path.Combine(_repo.Root, "WeatherModel.mlmodel.json"));
        item.SetMetadata("ModelName", "WeatherModel");
        item.SetMetadata("ArtifactsDirectory", Artifacts);
        item.SetMetadata("RepositoryRoot", _repo.Root);
        item.SetMetadata("ModelCardPath", Path.Combine(Artifacts, "modelcard.json"));
        item.SetMetadata("FingerprintPath", Path.Combine(Artifacts, "fingerprint.txt"));
        item.SetMetadata("LockPath", Path.Combine(_repo.Root, "WeatherModel.mlmodel.lock.json"));
        item.SetMetadata("ProvenancePath", ProvenancePath);
        item.SetMetadata("SignedProvenancePath", Path.Combine(Artifacts, "provenance.intoto.json"));
        return new Tasks.WriteProvenance
        {
            BuildEngine = new FakeBuildEngine(),
            Models = [item],
            ProjectName = "App",
            ProjectVersion = projectVersion,
            SigningKeyVariable = "MLOPS_TEST_KEY_THAT_IS_NOT_SET",
            InputStampPath = Path.Combine(_repo.Root, "obj", "mlops", "provenance.inputs"),
        }.Execute();
    }

    /// <summary>Other bytes of the same length and time: what the task would only notice by writing again.</summary>
    private void ReplaceKeepingStamp(string path)
    {
        var info = new FileInfo(path);
        var time = info.LastWriteTimeUtc;
        File.WriteAllText(path, new string('x', (int)info.Length));
        File.SetLastWriteTimeUtc(path, time);
    }

    [Fact]
    public void Nothing_changed_skips_the_task_and_any_change_runs_it_again()
    {
        File.Copy(Path.Combine(TestRepository.Root, "samples", "WeatherForecast", "Models", "WeatherModel.mlmodel.json"), Path.Combine(_repo.Root, "WeatherModel.mlmodel.json"));
        Directory.CreateDirectory(Artifacts);
        File.Copy(Path.Combine(TestRepository.Root, "tests", "Fixtures", "Models", "WeatherModel", "modelcard.json"), Path.Combine(Artifacts, "modelcard.json"));

        Assert.True(Run());
        var written = File.ReadAllText(ProvenancePath);
        Assert.Contains("\"WeatherModel\"", written);

        ReplaceKeepingStamp(ProvenancePath);
        Assert.True(Run());
        Assert.StartsWith("xxxx", File.ReadAllText(ProvenancePath)); // skipped: nothing it reads changed

        Assert.True(Run(projectVersion: "1.0.1"));
        Assert.Equal(written, File.ReadAllText(ProvenancePath)); // a setting changed: written again

        ReplaceKeepingStamp(ProvenancePath);
        File.SetLastWriteTimeUtc(Path.Combine(Artifacts, "modelcard.json"), DateTime.UtcNow.AddMinutes(1));
        Assert.True(Run(projectVersion: "1.0.1"));
        Assert.Equal(written, File.ReadAllText(ProvenancePath)); // the card changed: written again

        _repo.Write(".git/HEAD", "0123456789abcdef0123456789abcdef01234567\n");
        ReplaceKeepingStamp(ProvenancePath);
        Assert.True(Run(projectVersion: "1.0.1"));
        Assert.Contains("0123456789abcdef0123456789abcdef01234567", File.ReadAllText(ProvenancePath)); // a new commit: written again
    }

    [Theory]
    [InlineData("{ broken")]
    [InlineData("{}")]
    public void A_damaged_lock_leaves_the_provenance_without_an_acceptance_and_fails_nothing(string damaged)
    {
        File.Copy(Path.Combine(TestRepository.Root, "samples", "WeatherForecast", "Models", "WeatherModel.mlmodel.json"), Path.Combine(_repo.Root, "WeatherModel.mlmodel.json"));
        Directory.CreateDirectory(Artifacts);
        File.Copy(Path.Combine(TestRepository.Root, "tests", "Fixtures", "Models", "WeatherModel", "modelcard.json"), Path.Combine(Artifacts, "modelcard.json"));
        _repo.Write("WeatherModel.mlmodel.lock.json", damaged); // the validation step reports it (MLOPS3010)

        Assert.True(Run());

        var provenance = System.Text.Json.JsonDocument.Parse(File.ReadAllText(ProvenancePath)).RootElement;
        Assert.Equal("WeatherModel", provenance.GetProperty(MLOps.Shared.ProvenanceKeys.Name).GetString());
        Assert.False(provenance.TryGetProperty(MLOps.Shared.ProvenanceKeys.Accepted, out var accepted) && accepted.ValueKind != System.Text.Json.JsonValueKind.Null);
    }
}

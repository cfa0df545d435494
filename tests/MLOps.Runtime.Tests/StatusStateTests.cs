using MLOps.Build.IO;
using MLOps.Cli.Commands;
using MLOps.Cli.Projects;

namespace MLOps.Runtime.Tests;

/// <summary><c>dotnet mlops status</c> decides "up to date" by the build's own rule (ModelArtifacts), not by the stamp alone.</summary>
public sealed class StatusStateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlops-status-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ModelEntry Entry(string fingerprint) => new("M", Path.Combine(_folder, "M.mlmodel.json"), fingerprint, _folder,
        Path.Combine(_folder, ArtifactNames.ModelCard), Path.Combine(_folder, ArtifactNames.Fingerprint),
        Path.Combine(_folder, "M.mlmodel.lock.json"), Path.Combine(_folder, ArtifactNames.DriftReport), _folder);

    [Fact]
    public void A_stamp_without_its_model_is_stale_as_the_build_would_see_it()
    {
        File.WriteAllText(Path.Combine(_folder, ArtifactNames.Fingerprint), "abc");
        File.WriteAllText(Path.Combine(_folder, ArtifactNames.Metrics), "{}");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Fixtures", "Models", "ChurnModel", "modelcard.json"), Path.Combine(_folder, ArtifactNames.ModelCard));

        var missing = ModelState.Of(Entry("abc"));
        File.WriteAllText(Path.Combine(_folder, ArtifactNames.Onnx), "onnx");
        var complete = ModelState.Of(Entry("abc"));
        var changed = ModelState.Of(Entry("def"));

        Assert.Equal((ModelState.Stale, "an artifact of its last training is missing"), (missing.State, missing.Reason));
        Assert.Equal(ModelState.UpToDate, complete.State);
        Assert.Equal((ModelState.Stale, "its manifest, data or the tool changed since it was trained"), (changed.State, changed.Reason));
    }

    [Theory]
    [InlineData("{ broken")]
    [InlineData("{}")]
    [InlineData("{ \"name\": \"M\", \"fingerprint\": \"abc\", \"metrics\": {}, \"data\": {}, \"tool\": \"1\" }")]
    public void A_damaged_lock_counts_as_no_acceptance_as_the_build_treats_it(string damaged)
    {
        File.WriteAllText(Path.Combine(_folder, "M.mlmodel.lock.json"), damaged);

        Assert.Equal("not accepted", ModelState.Of(Entry("abc")).Acceptance);
    }
}

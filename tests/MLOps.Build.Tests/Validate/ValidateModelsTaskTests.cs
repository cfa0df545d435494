using Microsoft.Build.Utilities;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Validate;

/// <summary>The validation stamp lets a no-op build skip validation, but only after a validation that had nothing to say.</summary>
public sealed class ValidateModelsTaskTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();
    private readonly string _manifest;
    private readonly string _artifacts;

    public ValidateModelsTaskTests()
    {
        _manifest = _repo.Write("Models/Penguins.mlmodel.json", Manifests.Valid.Replace("\"min\": 0.9", "\"min\": 0.5"));
        _artifacts = Path.Combine(_repo.Root, "obj", "mlops", "Penguins");
    }

    public void Dispose() => _repo.Dispose();

    private string Stamp => Path.Combine(_artifacts, "validated.local");

    private bool Validate(string modelHash, double accuracy, bool updateLock = false)
    {
        _repo.Write("obj/mlops/Penguins/modelcard.json", $$"""
            { "metrics": { "MacroAccuracy": {{accuracy}} }, "onnx": { "sha256": "{{modelHash}}" }, "tool": { "version": "0.1.0" } }
            """);
        _repo.Write("obj/mlops/Penguins/metrics.json", $$"""{ "MacroAccuracy": {{accuracy}} }""");
        _repo.Write("obj/mlops/Penguins/model.onnx", modelHash);
        _repo.Write("obj/mlops/Penguins/fingerprint.txt", "fp-" + modelHash + "\n");
        var item = new TaskItem(_manifest);
        item.SetMetadata("ArtifactsDirectory", _artifacts);
        item.SetMetadata("Fingerprint", "fp-" + modelHash);
        return new Tasks.ValidateModels { BuildEngine = _engine, Models = [item], UpdateLock = updateLock, StampFileName = "validated.local" }.Execute();
    }

    [Fact]
    public void A_clean_validation_leaves_a_stamp_and_a_warning_or_an_error_removes_it()
    {
        Assert.True(Validate("aaaa", 0.9));          // accepted into a new lock: information only
        Assert.True(File.Exists(Stamp));

        Assert.True(Validate("bbbb", 0.9));          // differs from the accepted model: MLOPS3009
        Assert.Equal("MLOPS3009", Assert.Single(_engine.Warnings).Code);
        Assert.False(File.Exists(Stamp));

        Assert.True(Validate("bbbb", 0.9, updateLock: true));
        Assert.True(File.Exists(Stamp));

        Assert.False(Validate("cccc", 0.1));         // below the gate's min: MLOPS3001
        Assert.Equal("MLOPS3001", Assert.Single(_engine.Errors).Code);
        Assert.False(File.Exists(Stamp));
    }
}

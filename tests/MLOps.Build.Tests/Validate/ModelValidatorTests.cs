using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Tasks.Validate;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Validate;

public sealed class ModelValidatorTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly string _manifestPath;
    private readonly string _lockPath;

    public ModelValidatorTests()
    {
        _manifestPath = _repo.Write("Models/Penguins.mlmodel.json",
            Manifests.Valid.Replace("{ \"metric\": \"MacroAccuracy\", \"min\": 0.9 }", "{ \"metric\": \"MacroAccuracy\", \"min\": 0.5, \"maxDecrease\": 0.05 }"));
        _lockPath = Path.Combine(_repo.Root, "Models", "Penguins.mlmodel.lock.json");
    }

    public void Dispose() => _repo.Dispose();

    private ModelLock ReadLock() => ArtifactJson.Read(_lockPath, ArtifactJson.ModelLock);

    private IReadOnlyList<MLOpsDiagnostic> Validate(string modelHash, double accuracy, bool updateLock = false, bool ci = false, string? summary = null)
    {
        _repo.Write("obj/Penguins/modelcard.json", $$"""
            { "metrics": { "MacroAccuracy": {{accuracy}} }, "onnx": { "sha256": "{{modelHash}}" },
              "data": { "train": { "sha256": "t1" }, "test": null }, "tool": { "version": "0.1.0" } }
            """);
        var bag = new DiagnosticBag();
        var manifest = ManifestParser.ParseFile(_manifestPath, bag)!;
        new ModelValidator(new ValidationSettings(updateLock, ci) { StepSummaryPath = summary }, bag).Validate(manifest, Path.Combine(_repo.Root, "obj", "Penguins"), "fp-" + modelHash);
        return bag.Items;
    }

    [Fact]
    public void Without_a_lock_a_passing_model_is_accepted_and_change_gates_are_skipped()
    {
        var diagnostics = Validate("aaaa", 0.9);

        Assert.Equal(["MLOPS3003", "MLOPS3004", "MLOPS3006"], diagnostics.Select(d => d.Id));
        var accepted = ReadLock();
        Assert.Equal(("Penguins", "aaaa", "fp-aaaa", 0.9, "t1"), (accepted.Name, accepted.ModelSha256, accepted.Fingerprint, accepted.Metrics["MacroAccuracy"], accepted.Data["data.train"]));
    }

    [Fact]
    public void The_same_model_again_changes_nothing()
    {
        Validate("aaaa", 0.9);
        var written = File.GetLastWriteTimeUtc(_lockPath);

        Assert.Equal(["MLOPS3004"], Validate("aaaa", 0.9, ci: true).Select(d => d.Id));
        Assert.Equal(written, File.GetLastWriteTimeUtc(_lockPath));
    }

    [Fact]
    public void A_different_model_warns_locally_fails_in_CI_and_is_accepted_on_request()
    {
        Validate("aaaa", 0.9);

        var local = Validate("bbbb", 0.88);
        Assert.Equal(("MLOPS3009", DiagnosticLevel.Warning), (local[^1].Id, local[^1].Severity));
        Assert.Equal("aaaa", ReadLock().ModelSha256);

        var ci = Validate("bbbb", 0.88, ci: true);
        var error = ci[^1];
        Assert.Equal(("MLOPS3008", _lockPath), (error.Id, error.Location.Path));
        Assert.Contains("MacroAccuracy 0.9 → 0.88", error.Message);

        Assert.Equal("MLOPS3006", Validate("bbbb", 0.88, updateLock: true)[^1].Id);
        Assert.Equal("bbbb", ReadLock().ModelSha256);
        Assert.Equal(["MLOPS3004"], Validate("bbbb", 0.88, ci: true).Select(d => d.Id));
    }

    [Fact]
    public void A_worse_model_fails_its_change_gate_against_the_lock_and_is_not_accepted()
    {
        Validate("aaaa", 0.9);

        var diagnostics = Validate("cccc", 0.8, updateLock: true);

        Assert.Equal("MLOPS3005", Assert.Single(diagnostics).Id);
        Assert.Equal("aaaa", ReadLock().ModelSha256);
    }

    [Fact]
    public void Each_validation_writes_a_Markdown_report_and_appends_it_to_the_CI_step_summary()
    {
        Validate("aaaa", 0.9);
        var summary = Path.Combine(_repo.Root, "step-summary.md");

        Validate("bbbb", 0.8125, summary: summary);

        const string expected = """
            ### Penguins: passed

            Model `bbbb`.

            | metric | value | accepted | change |
            | --- | ---: | ---: | ---: |
            | MacroAccuracy | 0.8125 | 0.9 | -0.0875 |

            | gate | bounds | value | result |
            | --- | --- | ---: | --- |
            | MacroAccuracy | ≥ 0.5, fall ≤ 0.05 | 0.8125 | fail |


            """;
        var report = File.ReadAllText(Path.Combine(_repo.Root, "obj", "Penguins", "report.md"));
        Assert.Equal(expected.Replace("### Penguins: passed", "### Penguins: FAILED"), report);
        Assert.Equal(report, File.ReadAllText(summary));
    }

    [Fact]
    public void CI_never_accepts_a_first_model()
    {
        var diagnostics = Validate("aaaa", 0.9, ci: true);

        Assert.Equal(("MLOPS3007", _manifestPath), (diagnostics[^1].Id, diagnostics[^1].Location.Path));
        Assert.False(File.Exists(_lockPath));
    }

    [Theory]
    [InlineData("{ broken")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{ \"name\": \"Penguins\", \"fingerprint\": \"f\", \"modelSha256\": \"s\", \"metrics\": null, \"data\": {}, \"tool\": \"1\" }")]
    [InlineData("{ \"name\": \"Penguins\", \"fingerprint\": \"f\", \"metrics\": {}, \"data\": {}, \"tool\": \"1\" }")]
    public void A_damaged_lock_is_reported_and_replaced_when_a_model_is_accepted(string damaged)
    {
        _repo.Write("Models/Penguins.mlmodel.lock.json", damaged);

        var diagnostics = Validate("aaaa", 0.9);

        Assert.Equal("MLOPS3010", diagnostics[0].Id);
        Assert.Equal("aaaa", ReadLock().ModelSha256);
    }
}

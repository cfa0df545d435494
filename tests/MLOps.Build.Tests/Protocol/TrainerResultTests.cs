using MLOps.Build.Diagnostics;
using MLOps.Build.Protocol;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Protocol;

/// <summary>The trainer's result file: what the trainer writes is what the build reads; anything else is no result.</summary>
public sealed class TrainerResultTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Diagnostics_round_trip_with_their_descriptor_location_and_text()
    {
        var sent = new TrainerResult(false,
        [
            new MLOpsDiagnostic(DiagnosticCodes.DataHashUpdated, new FileLocation("/repo/Ünï ☃/M.mlmodel.json", 7, 3), "M: pinned \"data\\train.csv\"\nline two"),
            new MLOpsDiagnostic(DiagnosticCodes.TrainerCrashed, FileLocation.File("M.mlmodel.json"), "boom 💥 \u2028 after a line separator"),
        ]);
        var path = Path.Combine(_repo.Root, "result.json");

        sent.Write(path);
        var read = TrainerResult.Read(path)!;

        Assert.Equal(sent.Succeeded, read.Succeeded);
        Assert.Equal(sent.Diagnostics, read.Diagnostics);
        Assert.Same(DiagnosticCodes.TrainerCrashed, read.Diagnostics[1].Descriptor);
        Assert.True(read.HasErrors);
    }

    [Fact]
    public void A_code_this_build_does_not_know_keeps_the_severity_it_was_sent_with()
    {
        var path = _repo.Write("result.json", """{"protocol":1,"succeeded":false,"diagnostics":[{"id":"MLOPS9999","severity":"error","path":"","line":0,"column":0,"message":"new"}]}""");

        var diagnostic = Assert.Single(TrainerResult.Read(path)!.Diagnostics);

        Assert.Equal(("MLOPS9999", DiagnosticLevel.Error), (diagnostic.Id, diagnostic.Severity));
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"protocol":1,"succeeded":true""")]
    [InlineData("""{"protocol":2,"succeeded":true,"diagnostics":[]}""")]
    [InlineData("""{"protocol":1,"succeeded":"yes","diagnostics":[]}""")]
    [InlineData("""{"protocol":1,"succeeded":true}""")]
    [InlineData("""{"protocol":1,"succeeded":true,"diagnostics":[{"id":"MLOPS2010","severity":"fatal","message":"x"}]}""")]
    [InlineData("""{"protocol":1,"succeeded":true,"diagnostics":[{"severity":"info","message":"x"}]}""")]
    [InlineData("""[1]""")]
    public void A_partial_damaged_or_foreign_file_is_no_result(string content)
    {
        Assert.Null(TrainerResult.Read(_repo.Write("result.json", content)));
        Assert.Null(TrainerResult.Read(Path.Combine(_repo.Root, "missing.json")));
    }
}

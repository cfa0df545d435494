using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;
using MLOps.Build.Progress;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Train;
using MLOps.Build.Tests.Infrastructure;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tests.Logging;

/// <summary>
/// What reaches the build log quotes data (column names, categories, options): a line break in it must not start a log
/// line of its own (GitHub Actions reads a line starting <c>::</c> as a workflow command), nor an escape sequence reach
/// the terminal. Each control character is shown as its code.
/// </summary>
public sealed class ControlCharacterLoggingTests
{
    private const string Hostile = "column 'a\n::error file=x::forged\r\u2028\u001b[2J'";
    private const string Shown = "column 'a\\u000A::error file=x::forged\\u000D\\u2028\\u001B[2J'";

    private readonly FakeBuildEngine _engine = new();

    private TaskLoggingHelper Log => new(_engine, "Test");

    [Theory]
    [InlineData(DiagnosticLevel.Error)]
    [InlineData(DiagnosticLevel.Warning)]
    [InlineData(DiagnosticLevel.Info)]
    public void A_diagnostic_quoting_data_is_one_line_with_its_control_characters_as_codes(DiagnosticLevel level)
    {
        var descriptor = D.All.First(d => d.Severity == level);

        Log.Log(new MLOpsDiagnostic(descriptor, FileLocation.File("M.mlmodel.json"), Hostile));

        Assert.Equal(Shown, Assert.Single(_engine.Logged).Message);
    }

    [Fact]
    public void A_trainer_line_or_detail_shows_its_control_characters_as_codes()
    {
        var output = new TaskTrainerOutput(Log);

        output.Line(Hostile);
        output.Detail(Hostile);

        Assert.All(_engine.Logged, logged => Assert.Equal(Shown, logged.Message));
    }

    [Fact]
    public void A_progress_line_stays_one_line_of_six_fields_and_reads_back_with_codes()
    {
        var line = new ProgressLine("M\t1", "trial", "LightGbm {drop:a\tb: True}" + Hostile, 3, 10, TimeSpan.FromSeconds(2)).ToString();

        Assert.DoesNotContain('\n', line);
        Assert.Equal(7, line.Split('\t').Length);
        var read = ProgressLine.TryParse(line)!;
        Assert.Equal(("M\\u00091", "LightGbm {drop:a\\u0009b: True}" + Shown), (read.Model, read.Message));
    }
}

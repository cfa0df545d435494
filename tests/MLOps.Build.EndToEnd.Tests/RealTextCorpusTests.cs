using System.Text.Json;
using Xunit.Abstractions;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Real e-mails nobody on the team wrote (the SpamAssassin corpus, npm), with the non-ASCII text real mail has:
/// accents, curly quotes, NBSP, emoji and the U+FFFD left for undecodable bytes. Before the compiled text
/// featurization this build stopped with MLOPS2008 (ONNX Runtime 0.37 away from ML.NET); now the model is compiled,
/// checked against ML.NET itself, and ONNX Runtime's differing rows are a warning that names them.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class RealTextCorpusTests(PackagesFixture packages, ITestOutputHelper output)
{
    private const string Manifest = """
        {
          "name": "SpamFilter",
          "task": "binary",
          "label": "label",
          "positiveClass": "spam",
          "data": { "train": { "path": "data/mail.csv" }, "testFraction": 0.25 },
          "columns": { "subject": "text", "body": "text" },
          "trainer": { "name": "SdcaLogisticRegression" },
          "seed": 1,
          "gates": [{ "metric": "Accuracy", "min": 0.9 }]
        }
        """;

    private const string Program = """
        using Mail;

        using var filter = SpamFilter.Load();
        var offer = filter.Predict(new SpamFilter.Input
        {
            Subject = "😀 FREE OFFER – 100% GUARANTEED “no risk”",
            Body = "Click here to claim your free prize now! Limited time offer, act now and earn $$$ from home. Unsubscribe\u00A0here.",
        });
        Console.WriteLine($"engine={filter.Engine} offer={offer.PredictedLabel}");
        SpamFilter.Input[] inputs =
        [
            new() { Subject = "Re: café meeting", Body = "See you at the café on Tuesday 👍 — bring the résumé." },
            new() { Subject = "", Body = "" },
        ];
        var outputs = new SpamFilter.Output[inputs.Length];
        filter.PredictBatch(inputs, outputs);
        Console.WriteLine($"batch={outputs.Count(o => o is not null)}");
        """;

    [Fact]
    public void Real_email_with_emoji_and_undecodable_bytes_builds_compiled_and_checked_against_ML_NET()
    {
        using var project = new ConsumerProject(packages, "Mail");
        project.Write("Models/data/mail.csv", RealText.SpamAssassinCsv(messages: 1200, bodyLength: 1500));
        project.Write("Models/SpamFilter.mlmodel.json", Manifest);
        project.SetModels("Models/SpamFilter.mlmodel.json");
        project.Write("Program.cs", Program);

        project.Verify(nameof(Real_email_with_emoji_and_undecodable_bytes_builds_compiled_and_checked_against_ML_NET), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            using var card = JsonDocument.Parse(project.Read("obj/mlops/SpamFilter/modelcard.json"));
            var root = card.RootElement;
            Assert.True(root.GetProperty("metrics").GetProperty("Accuracy").GetDouble() >= 0.9);

            var scoring = root.GetProperty("scoring");
            Assert.Equal("compiled", scoring.GetProperty("engine").GetString());
            var againstMLNet = scoring.GetProperty("textAgainstMLNet");
            Assert.True(againstMLNet.GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
            Assert.Equal(1.0, againstMLNet.GetProperty("labelAgreement").GetDouble());
            Assert.True(againstMLNet.GetProperty("syntheticRows").GetInt64() >= 2 * 20, "every synthetic text in both text columns");

            // The corpus holds text ONNX Runtime counts differently: judged apart, and reported as a warning with its rows.
            var parity = root.GetProperty("parity");
            Assert.True(parity.GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
            var leftOut = parity.GetProperty("textRowsLeftOut").GetInt64();
            Assert.True(leftOut > 0);
            var differs = scoring.GetProperty("onnxRuntimeDiffers");
            Assert.Equal(leftOut, differs.GetProperty("rows").GetInt64());
            Assert.True(differs.GetProperty("maxAbsoluteDifference").GetDouble() > 1e-4);
            Assert.Contains(BuildDiagnostic.Parse(build.Output), d => d.Code == "MLOPS2040" && d.Severity == "warning"
                && d.Message.Contains($"on {leftOut} of the ", StringComparison.Ordinal) && d.Message.Contains("The app scores compiled", StringComparison.Ordinal));

            output.WriteLine(string.Join('\n', BuildDiagnostic.Parse(build.Output).Where(d => d.Code is "MLOPS2010" or "MLOPS2040").Select(d => $"{d.Code}: {d.Message}")));
            output.WriteLine(parity.ToString());
            output.WriteLine(scoring.ToString());
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains("engine=Compiled offer=True", run.Output);
            Assert.Contains("batch=2", run.Output);
        });
    }
}

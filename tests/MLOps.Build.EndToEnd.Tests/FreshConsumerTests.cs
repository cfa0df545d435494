using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

[Collection(PackagesCollection.Name)]
public sealed class FreshConsumerTests(PackagesFixture packages)
{
    [Fact]
    public void A_new_project_pins_its_data_trains_during_build_embeds_the_model_and_skips_training_when_nothing_changed()
    {
        using var project = new ConsumerProject(packages, "Loans");
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        var manifest = project.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");

        project.Verify(nameof(A_new_project_pins_its_data_trains_during_build_embeds_the_model_and_skips_training_when_nothing_changed), () =>
        {
            // Unpinned data is refused until the hashes are accepted.
            var refused = project.Build();
            Assert.False(refused.Succeeded);
            Assert.Equal(2, refused.WithCode("MLOPS1022").Count());

            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains(ConsumerProject.Sha256(project.PathOf("Models/data/loans-train.csv")), File.ReadAllText(manifest));
            Assert.Contains("MLOPS2010: LoanApproval: trained FastTree on 600 rows, tested on 200", first.Output);
            Assert.DoesNotContain(first.Diagnostics, d => d.Severity == "warning" && d.Code.StartsWith("MLOPS", StringComparison.Ordinal));

            var artifacts = project.PathOf("obj/mlops/LoanApproval");
            foreach (var file in new[] { "model.onnx", "modelcard.json", "metrics.json", "fingerprint.txt" })
            {
                Assert.True(File.Exists(Path.Combine(artifacts, file)), file);
            }
            using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(artifacts, "modelcard.json")));
            var root = card.RootElement;
            Assert.Equal("binary", root.GetProperty("task").GetString());
            Assert.Equal(["AnnualIncome", "DebtToIncome", "EmploymentType", "HasGuarantor"],
                root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("property").GetString()));
            Assert.Equal(["PredictedLabel", "Score", "Probability"], root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
            Assert.True(root.GetProperty("metrics").GetProperty("AreaUnderRocCurve").GetDouble() > 0.8);
            Assert.True(root.GetProperty("parity").GetProperty("maxAbsoluteDifference").GetDouble() < 1e-4);
            Assert.Equal(File.ReadAllText(Path.Combine(artifacts, "fingerprint.txt")).Trim(), root.GetProperty("fingerprint").GetString());

            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains($"embedded LoanApproval {new FileInfo(Path.Combine(artifacts, "model.onnx")).Length} bytes", run.Output);

            // The build wrote the project's HTML report beside the artifacts.
            var report = project.PathOf("obj/mlops/report.html");
            Assert.Contains("<section id=\"model-LoanApproval\">", File.ReadAllText(report));
            Assert.Contains("class=\"chart heatmap\"", File.ReadAllText(report));
            var reportBytes = File.ReadAllBytes(report);
            var reportStamp = File.GetLastWriteTimeUtc(report);

            // Nothing changed: the model is up to date and no artifact is rewritten.
            var stamp = File.GetLastWriteTimeUtc(Path.Combine(artifacts, "model.onnx"));
            var second = project.Build();
            Assert.True(second.Succeeded, second.Output);
            Assert.Contains("MLOPS2011: LoanApproval is up to date", second.Output);
            Assert.DoesNotContain("MLOPS2010", second.Output);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(artifacts, "model.onnx")));
            Assert.Equal(reportBytes, File.ReadAllBytes(report));
            Assert.Equal(reportStamp, File.GetLastWriteTimeUtc(report));
        });
    }
}

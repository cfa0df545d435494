using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>The dotnet-mlops tool, installed from the packed package, driving every command on a fresh consumer.</summary>
[Collection(PackagesCollection.Name)]
public sealed class CliTests(PackagesFixture packages)
{
    private static JsonElement Json(ProcessResult result)
    {
        Assert.True(result.Succeeded, result.Output);
        var start = result.Output.IndexOfAny(['{', '[']);
        return JsonDocument.Parse(result.Output.Substring(start)).RootElement.Clone();
    }

    /// <summary>A light schema: the property exists and has the JSON kind.</summary>
    private static void Has(JsonElement element, string property, JsonValueKind kind) =>
        Assert.True(element.TryGetProperty(property, out var value) && value.ValueKind == kind, $"'{property}' should be {kind} in {element}");

    [Fact]
    public void Status_accept_diff_runs_and_report_work_on_a_fresh_project_with_json_for_scripts()
    {
        using var project = new ConsumerProject(packages, "Cli");
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");
        var tools = project.PathOf(".tools");
        var install = DotNet.Run(project.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
        Assert.True(install.Succeeded, install.Output);
        var mlops = Path.Combine(tools, "dotnet-mlops");
        ProcessResult Cli(params string[] arguments) => DotNet.RunProgram(mlops, project.Root, new Dictionary<string, string> { ["MLOPS_CACHE_DIR"] = project.CacheDirectory }, arguments);

        project.Verify(nameof(Status_accept_diff_runs_and_report_work_on_a_fresh_project_with_json_for_scripts), () =>
        {
            // A fresh clone's data is not pinned yet: status shows the build's own error and how to fix it.
            var unpinned = Cli("status", "--json");
            Assert.Equal(2, unpinned.ExitCode);
            Assert.Contains("MLOPS1022", unpinned.Output);
            Assert.Contains("-p:MLOpsUpdateLock=true", unpinned.Output);

            var accept = Json(Cli("accept", "--json"));
            Assert.Equal(0, accept.GetProperty("exitCode").GetInt32());
            Assert.Contains(accept.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.StartsWith("MLOPS2010: LoanApproval: trained FastTree", StringComparison.Ordinal));
            Assert.Contains(accept.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.StartsWith("MLOPS3006", StringComparison.Ordinal));

            var status = Json(Cli("status", "--json"));
            Has(status, "project", JsonValueKind.String);
            Has(status, "models", JsonValueKind.Array);
            var after = Assert.Single(status.GetProperty("models").EnumerateArray());
            Assert.Equal("LoanApproval", after.GetProperty("name").GetString());
            Assert.Equal(("up to date", "accepted"), (after.GetProperty("state").GetString(), after.GetProperty("acceptance").GetString()));
            Assert.True(after.GetProperty("metrics").GetProperty("AreaUnderRocCurve").GetDouble() > 0.8);
            Assert.Equal([("data.train", "data/loans-train.csv", 600L), ("data.test", "data/loans-test.csv", 200L)],
                after.GetProperty("data").EnumerateArray().Select(d => (d.GetProperty("role").GetString(), d.GetProperty("path").GetString(), d.GetProperty("rows").GetInt64())));

            var diff = Json(Cli("diff", "--json"))[0];
            Has(diff, "metrics", JsonValueKind.Array);
            Assert.All(diff.GetProperty("metrics").EnumerateArray(), m => Assert.Equal("same", m.GetProperty("verdict").GetString()));

            var runs = Json(Cli("runs", "--json"))[0];
            Assert.Equal("LoanApproval", runs.GetProperty("model").GetString());
            Assert.Single(runs.GetProperty("runs").EnumerateArray());

            var report = Json(Cli("report", "--json"));
            Assert.True(File.Exists(report.GetProperty("report").GetString()));

            var table = Cli("status");
            Assert.True(table.Succeeded, table.Output);
            Assert.Contains("LoanApproval", table.Output);
            Assert.Contains("up to date", table.Output);

            // A changed manifest makes the model stale, and status says why; diff still compares with the accepted one.
            project.Write("Models/LoanApproval.mlmodel.json", project.Read("Models/LoanApproval.mlmodel.json").Replace("\"NumberOfTrees\": 50", "\"NumberOfTrees\": 40"));
            var stale = Json(Cli("status", "--json")).GetProperty("models")[0];
            Assert.Equal(("stale", "changed since it was trained: trainer.options.NumberOfTrees 50 → 40", "differs from the accepted model"),
                (stale.GetProperty("state").GetString(), stale.GetProperty("reason").GetString(), stale.GetProperty("acceptance").GetString()));

            // Train just that model, then compare it with the accepted one: metrics, and the options that changed.
            var trained = Json(Cli("train", "--model", "LoanApproval", "--json"));
            Assert.Contains(trained.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.StartsWith("MLOPS2010: LoanApproval", StringComparison.Ordinal)
                && d.GetString()!.EndsWith("Trained because trainer.options.NumberOfTrees 50 → 40.", StringComparison.Ordinal));
            var changed = Json(Cli("diff", "--json"))[0];
            var option = Assert.Single(changed.GetProperty("options").EnumerateArray());
            // The build compared the new model with the accepted one on the same test rows: each metric has its interval.
            var auc = changed.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "AreaUnderRocCurve").GetProperty("sameRows");
            Assert.True(auc.GetProperty("lower").GetDouble() <= auc.GetProperty("difference").GetDouble());
            Assert.True(auc.GetProperty("difference").GetDouble() <= auc.GetProperty("upper").GetDouble());
            Assert.True(auc.GetProperty("rows").GetInt32() > 0);
            Assert.Equal(("NumberOfTrees", "50", "40"), (option.GetProperty("option").GetString(), option.GetProperty("before").GetString(), option.GetProperty("after").GetString()));

            var nowhere = DotNet.RunProgram(mlops, project.PathOf("Models"), null, "status");
            Assert.Equal(2, nowhere.ExitCode);
            Assert.Contains("No project file", nowhere.Output);
        });
    }
}

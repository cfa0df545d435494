using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Governance as an auditor meets it: a published app, in a real git repository, says which data, commit and
/// acceptance built the model inside it, at run time (<c>LoanApproval.Provenance</c>) and from outside
/// (<c>dotnet mlops inspect</c>), and the facts match the model card and git.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class GovernanceTests(PackagesFixture packages)
{
    private static readonly Dictionary<string, string> Ada = new() { ["GIT_AUTHOR_NAME"] = "Ada", ["GIT_AUTHOR_EMAIL"] = "ada@example.com", ["GIT_COMMITTER_NAME"] = "Ada", ["GIT_COMMITTER_EMAIL"] = "ada@example.com" };
    private static readonly Dictionary<string, string> Grace = new() { ["GIT_AUTHOR_NAME"] = "Grace", ["GIT_AUTHOR_EMAIL"] = "grace@example.com", ["GIT_COMMITTER_NAME"] = "Grace", ["GIT_COMMITTER_EMAIL"] = "grace@example.com" };

    [Fact]
    public void A_published_app_says_which_data_commit_and_acceptance_built_its_model()
    {
        using var project = new ConsumerProject(packages, "Audited");
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest.Replace("\"seed\": 3", "\"seed\": 3,\n  \"gates\": [ { \"metric\": \"AreaUnderRocCurve\", \"min\": 0.6 } ]", StringComparison.Ordinal));
        project.SetModels("Models/LoanApproval.mlmodel.json");
        project.Write("Program.cs", """
            var provenance = Audited.LoanApproval.Provenance!;
            Console.WriteLine($"provenance {provenance.ModelName} commit={provenance.Commit} train={provenance.Data[0].Sha256} rows={provenance.Data[0].Rows} by={provenance.Accepted?.By} accepted={provenance.Accepted?.IsAcceptedModel}");
            """);
        project.Write(".gitignore", "bin/\nobj/\npub/\n.tools/\n.mlops-cache*/\n*.binlog\n");
        Directory.Delete(project.PathOf(".git"), recursive: true);
        string Git(Dictionary<string, string> who, params string[] arguments)
        {
            var git = DotNet.RunProgram("git", project.Root, who, arguments);
            Assert.True(git.Succeeded, git.Output);
            return git.Output.Trim();
        }
        Git(Ada, "init", "-q");
        Git(Ada, "add", "-A");
        Git(Ada, "commit", "-q", "-m", "A model of loans");
        var tools = project.PathOf(".tools");
        var install = DotNet.Run(project.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
        Assert.True(install.Succeeded, install.Output);

        project.Verify(nameof(A_published_app_says_which_data_commit_and_acceptance_built_its_model), () =>
        {
            var accepting = project.Build("MLOpsUpdateLock=true");
            Assert.True(accepting.Succeeded, accepting.Output);
            var unaccepted = project.RunApp();
            Assert.Contains("by= accepted=True", unaccepted.Output); // accepted into the lock file, not committed yet

            // Grace reviews and commits the acceptance; the next build records who accepted it, and when.
            Git(Grace, "add", "-A");
            Git(Grace, "commit", "-q", "-m", "Accept LoanApproval");
            var head = Git(Ada, "rev-parse", "HEAD");
            var publish = DotNet.Run(project.Root, project.Environment, "publish", "-f", "net10.0", "-o", project.PathOf("pub"));
            Assert.True(publish.Succeeded, publish.Output);
            Assert.DoesNotContain("MLOPS2010", publish.Output); // nothing trained again

            using var card = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/LoanApproval/modelcard.json")));
            var train = card.RootElement.GetProperty("data").GetProperty("train");
            var inspect = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "inspect", "pub", "--json");
            Assert.True(inspect.Succeeded, inspect.Output);
            var model = Assert.Single(JsonDocument.Parse(inspect.Output).RootElement.GetProperty("models").EnumerateArray());
            Assert.True(model.GetProperty("onnxMatches").GetBoolean());
            var provenance = model.GetProperty("provenance");
            Assert.Equal(("LoanApproval", head), (provenance.GetProperty("name").GetString(), provenance.GetProperty("commit").GetString()));
            var data = provenance.GetProperty("data")[0];
            Assert.Equal((train.GetProperty("sha256").GetString(), train.GetProperty("rows").GetInt64()), (data.GetProperty("sha256").GetString(), data.GetProperty("rows").GetInt64()));
            Assert.Equal(card.RootElement.GetProperty("metrics").GetProperty("AreaUnderRocCurve").GetDouble(), provenance.GetProperty("metrics").GetProperty("AreaUnderRocCurve").GetDouble());
            Assert.Equal(card.RootElement.GetProperty("onnx").GetProperty("sha256").GetString(), provenance.GetProperty("onnx").GetProperty("sha256").GetString());
            var accepted = provenance.GetProperty("accepted");
            Assert.Equal(("Grace <grace@example.com>", head, true),
                (accepted.GetProperty("by").GetString(), accepted.GetProperty("commit").GetString(), accepted.GetProperty("isAcceptedModel").GetBoolean()));
            Assert.Contains(provenance.GetProperty("gates").EnumerateArray(), g => g.GetProperty("outcome").GetString() == "pass");

            var table = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "inspect", "pub");
            Assert.Contains("yes, by Grace <grace@example.com>", table.Output);

            var run = DotNet.Run(project.PathOf("pub"), project.Environment, project.PathOf("pub/Audited.dll"));
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains($"provenance LoanApproval commit={head} train={train.GetProperty("sha256").GetString()} rows={train.GetProperty("rows").GetInt64()} by=Grace <grace@example.com> accepted=True", run.Output);

            // A second acceptance (fewer trees), committed by Ada: the promotion history lists both, newest first, with the change.
            project.Write("Models/LoanApproval.mlmodel.json", project.Read("Models/LoanApproval.mlmodel.json").Replace("\"NumberOfTrees\": 50", "\"NumberOfTrees\": 20", StringComparison.Ordinal));
            var retrained = project.Build("MLOpsUpdateLock=true");
            Assert.True(retrained.Succeeded, retrained.Output);
            Git(Ada, "commit", "-q", "-a", "-m", "Fewer trees");
            var history = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "history", "LoanApproval", "--json");
            Assert.True(history.Succeeded, history.Output);
            var document = JsonDocument.Parse(history.Output.Substring(history.Output.IndexOf('{', StringComparison.Ordinal))).RootElement;
            Assert.False(document.GetProperty("pending").GetBoolean());
            var acceptances = document.GetProperty("acceptances").EnumerateArray().ToList();
            Assert.Equal(["Ada <ada@example.com>", "Grace <grace@example.com>"], acceptances.Select(a => a.GetProperty("by").GetString()));
            Assert.Equal(["Fewer trees", "Accept LoanApproval"], acceptances.Select(a => a.GetProperty("subject").GetString()));
            Assert.Equal(card.RootElement.GetProperty("onnx").GetProperty("sha256").GetString(), acceptances[1].GetProperty("modelSha256").GetString());
            Assert.Contains(acceptances[0].GetProperty("metricChanges").EnumerateArray(), m => m.GetProperty("metric").GetString() == "AreaUnderRocCurve" && m.GetProperty("change").ValueKind == JsonValueKind.Number);
            Assert.Empty(acceptances[0].GetProperty("dataChanges").EnumerateArray()); // same data, other options
            Assert.Empty(acceptances[1].GetProperty("metricChanges").EnumerateArray()); // the first acceptance has nothing before it
        });
    }
}

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
            // The manifest's JSON Schema comes with the package, beside the artifacts, for "$schema" and editors.
            Assert.Contains("\"$schema\"", project.Read("obj/mlops/mlmodel.schema.json"));
            var unaccepted = project.RunApp();
            Assert.Contains("by= accepted=True", unaccepted.Output); // accepted into the lock file, not committed yet

            // Grace reviews and commits the acceptance; the next build records who accepted it, and when.
            Git(Grace, "add", "-A");
            Git(Grace, "commit", "-q", "-m", "Accept LoanApproval");
            var head = Git(Ada, "rev-parse", "HEAD");
            // CI signs the provenance with a key from its secrets; the key appears in no file of the build.
            using var signingKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var privatePem = signingKey.ExportPkcs8PrivateKeyPem();
            File.WriteAllText(project.PathOf("signing.pub.pem"), signingKey.ExportSubjectPublicKeyInfoPem());
            project.ExtraEnvironment["MLOPS_PROVENANCE_KEY"] = privatePem;
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

            // The project's ML bill of materials names the model with its hash and its data (validated against the schema in MachineLearningBomTests).
            using (var bom = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/mlbom.cdx.json"))))
            {
                Assert.Equal("1.6", bom.RootElement.GetProperty("specVersion").GetString());
                var component = bom.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "machine-learning-model");
                Assert.Equal(card.RootElement.GetProperty("onnx").GetProperty("sha256").GetString(), component.GetProperty("hashes")[0].GetProperty("content").GetString());
                Assert.Contains(bom.RootElement.GetProperty("components").EnumerateArray(), c => c.GetProperty("type").GetString() == "data"
                    && c.GetProperty("hashes")[0].GetProperty("content").GetString() == train.GetProperty("sha256").GetString());
                Assert.Contains(bom.RootElement.GetProperty("components").EnumerateArray(), c => c.TryGetProperty("purl", out var purl)
                    && purl.GetString() == $"pkg:nuget/MLOps.Runtime@{packages.Version}");
            }

            // The CycloneDX .NET tool's package SBOM, with the models added: one BOM for packages and models, valid CycloneDX 1.6.
            var cyclonedx = DotNet.Run(project.Root, null, "tool", "install", "CycloneDX", "--tool-path", tools, "--version", "6.3.1");
            Assert.True(cyclonedx.Succeeded, cyclonedx.Output);
            var sbom = DotNet.RunProgram(Path.Combine(tools, "dotnet-CycloneDX"), project.Root, project.Environment, "Audited.csproj", "-F", "Json", "-spv", "1.6", "-dpr", "-o", project.PathOf("sbom"));
            Assert.True(sbom.Succeeded, sbom.Output);
            var merge = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "bom", "--merge-into", "sbom/bom.json");
            Assert.True(merge.Succeeded, merge.Output);
            var mergedBytes = File.ReadAllBytes(project.PathOf("sbom/bom.json"));
            Assert.Empty(MLOps.Build.Testing.CycloneDxSchema.Errors(packages.RepositoryRoot, mergedBytes));
            using (var merged = JsonDocument.Parse(mergedBytes))
            {
                var components = merged.RootElement.GetProperty("components").EnumerateArray().ToList();
                Assert.Single(components, c => c.GetProperty("type").GetString() == "machine-learning-model");
                Assert.Single(components, c => c.GetProperty("bom-ref").GetString() == $"pkg:nuget/MLOps.Runtime@{packages.Version}"); // once, though both BOMs name it
                var application = merged.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("bom-ref").GetString();
                var dependencies = merged.RootElement.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("ref").GetString() == application);
                Assert.Contains(dependencies.GetProperty("dependsOn").EnumerateArray(), d => d.GetString() == "model:LoanApproval");
            }

            var verified = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "inspect", "pub", "--verify", "signing.pub.pem", "--json");
            Assert.True(verified.Succeeded, verified.Output);
            Assert.StartsWith("valid (key ", JsonDocument.Parse(verified.Output).RootElement.GetProperty("models")[0].GetProperty("signature").GetString(), StringComparison.Ordinal);
            using (var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            {
                File.WriteAllText(project.PathOf("other.pub.pem"), other.ExportSubjectPublicKeyInfoPem());
            }
            var wrongKey = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "inspect", "pub", "--verify", "other.pub.pem");
            Assert.Equal(1, wrongKey.ExitCode);
            Assert.Contains("invalid: not signed by this key", wrongKey.Output);
            var keyBody = privatePem.Split('\n')[1];
            foreach (var file in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.tools/", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(keyBody, File.ReadAllText(file), StringComparison.Ordinal);
            }

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

    [Fact]
    public void A_library_of_models_packs_as_a_NuGet_package_that_a_fresh_app_scores_with_and_audits()
    {
        // The model's release is the package's version; a prerelease is promoted by packing the release.
        var release = $"1.2.0-rc.{Guid.NewGuid():N}"[..16];
        using var library = new ConsumerProject(packages, "LoanModels");
        library.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        library.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        library.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
        File.Delete(library.PathOf("Program.cs"));
        library.Write("LoanModels.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <PackageId>Contoso.LoanModels</PackageId>
                <Version>{release}</Version>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MLOps.Build" Version="{packages.Version}" PrivateAssets="all" />
                <PackageReference Include="MLOps.Runtime" Version="{packages.Version}" />
                <MLModel Include="Models/LoanApproval.mlmodel.json" Visibility="public" />
              </ItemGroup>
            </Project>
            """);
        using var app = new ConsumerProject(packages, "LoanApp");
        app.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="models" value="{library.PathOf("feed")}" />
                <add key="mlops-e2e" value="{packages.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // The app references the model package alone: no MLOps.Build, no MLModel, no data.
        app.Write("LoanApp.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Contoso.LoanModels" Version="{release}" />
              </ItemGroup>
            </Project>
            """);
        app.Write("Program.cs", """
            using LoanModels;

            using var model = LoanApproval.Load();
            var output = model.Predict(new LoanApproval.Input { AnnualIncome = 120000f, DebtToIncome = 8.5f, EmploymentType = "salaried", HasGuarantor = true });
            Console.WriteLine($"approved={output.PredictedLabel} engine={model.Engine} train={LoanApproval.Provenance!.Data[0].Sha256}");
            """);

        library.Verify(nameof(A_library_of_models_packs_as_a_NuGet_package_that_a_fresh_app_scores_with_and_audits), () =>
        {
            var pack = DotNet.Run(library.Root, library.Environment, "pack", "-p:MLOpsUpdateLock=true", "-o", library.PathOf("feed"));
            Assert.True(pack.Succeeded, pack.Output);
            var package = library.PathOf($"feed/Contoso.LoanModels.{release}.nupkg");
            Assert.True(File.Exists(package), pack.Output);
            var trainSha = JsonDocument.Parse(library.Read("obj/mlops/LoanApproval/modelcard.json")).RootElement.GetProperty("data").GetProperty("train").GetProperty("sha256").GetString();

            var run = DotNet.Run(app.Root, app.Environment, "run");
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains($"approved=True engine=Compiled train={trainSha}", run.Output);

            var tools = app.PathOf(".tools");
            var install = DotNet.Run(app.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
            Assert.True(install.Succeeded, install.Output);
            var inspect = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), app.Root, app.Environment, "inspect", package, "--json");
            Assert.True(inspect.Succeeded, inspect.Output);
            var found = Assert.Single(JsonDocument.Parse(inspect.Output).RootElement.GetProperty("models").EnumerateArray());
            Assert.Equal($"{package}!lib/net10.0/LoanModels.dll", found.GetProperty("assembly").GetString());
            Assert.Equal(trainSha, found.GetProperty("provenance").GetProperty("data")[0].GetProperty("sha256").GetString());
        });
    }
}

using System.IO.Compression;
using MLOps.Build.Artifacts;
using MLOps.Cli.Inspect;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// A model's provenance as the build embeds it beside the model: the writer's format (Core), the generated class's
/// <c>Provenance</c> (MLOps.Runtime) and <c>dotnet mlops inspect</c> (reading a built assembly's metadata) agree.
/// </summary>
public sealed class ProvenanceTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Fixtures", "Models", "ChurnModel", "provenance.json");

    [Fact]
    public void The_fixture_is_byte_for_byte_what_the_build_writes()
    {
        var bytes = File.ReadAllBytes(Fixture);

        var statement = ArtifactJson.Deserialize(bytes, ArtifactJson.Provenance);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(ArtifactJson.Serialize(statement, ArtifactJson.Provenance)));
    }

    [Fact]
    public void The_generated_class_reads_the_provenance_embedded_beside_its_model()
    {
        var written = ArtifactJson.Deserialize(File.ReadAllBytes(Fixture), ArtifactJson.Provenance);

        var provenance = ChurnModel.Provenance!;

        Assert.Equal((written.Name, written.Version, written.Commit, written.Onnx.Sha256, written.Tool.MLNet),
            (provenance.ModelName, provenance.Version, provenance.Commit, provenance.OnnxSha256, provenance.MLNetVersion));
        Assert.Equal(written.Data.Select(d => (d.Role, d.Sha256, d.Rows)), provenance.Data.Select(d => (d.Role, d.Sha256, d.Rows)));
        Assert.Equal(written.Metrics, provenance.Metrics);
        Assert.Equal(("AreaUnderRocCurve", "pass"), (provenance.Gates[0].Metric, provenance.Gates[0].Outcome));
        Assert.Equal(("Grace <grace@example.com>", true), (provenance.Accepted!.By, provenance.Accepted.IsAcceptedModel));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.FromHours(1)), provenance.Accepted.At);
        Assert.Same(provenance, ChurnModel.Provenance); // read once
        Assert.Null(TenureModel.Provenance); // embedded without provenance, as by an older MLOps.Build
    }

    [Fact]
    public void A_statement_from_a_newer_build_is_refused_with_what_to_do()
    {
        var newer = File.ReadAllText(Fixture).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 9", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ModelProvenance.Parse(newer));

        Assert.Contains("update MLOps.Runtime", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ModelProvenance.Parse("{ \"schemaVersion\": 1 }"));
    }

    [Fact]
    public void Inspect_finds_the_model_in_an_assembly_a_folder_and_a_package_without_loading_them()
    {
        var assembly = typeof(ChurnModel).Assembly.Location;
        var folder = Directory.CreateTempSubdirectory("mlops-inspect-");
        try
        {
            var package = Path.Combine(folder.FullName, "Models.1.0.0.nupkg");
            using (var zip = ZipFile.Open(package, ZipArchiveMode.Create))
            {
                zip.CreateEntryFromFile(assembly, "lib/net10.0/" + Path.GetFileName(assembly));
            }
            File.WriteAllText(Path.Combine(folder.FullName, "libnative.dll"), "not a PE file");
            var problems = new List<string>();

            var direct = Assert.Single(AssemblyModels.Find(assembly, problems));
            var packaged = Assert.Single(AssemblyModels.Find(folder.FullName, problems));

            Assert.Empty(problems);
            Assert.Equal(("ChurnModel", true), (direct.Model, direct.OnnxMatches)); // the embedded model is the one described
            Assert.Equal($"{package}!lib/net10.0/{Path.GetFileName(assembly)}", packaged.Assembly);
            Assert.Equal(ArtifactJson.Serialize(direct.Provenance, ArtifactJson.Provenance), ArtifactJson.Serialize(packaged.Provenance, ArtifactJson.Provenance));
            Assert.Equal(File.ReadAllBytes(Fixture), ArtifactJson.Serialize(direct.Provenance, ArtifactJson.Provenance));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

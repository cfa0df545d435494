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

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.9)]
    public void Inspect_of_a_truncated_assembly_says_it_cannot_be_read_instead_of_failing(double kept)
    {
        var bytes = File.ReadAllBytes(typeof(ChurnModel).Assembly.Location);
        var truncated = Path.Combine(Directory.CreateTempSubdirectory("mlops-inspect-").FullName, "App.dll");
        File.WriteAllBytes(truncated, bytes[..(int)(bytes.Length * kept)]);
        var problems = new List<string>();

        var found = AssemblyModels.Find(truncated, problems);

        Assert.Empty(found);
        Assert.Contains(problems, p => p.StartsWith(truncated, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public void Inspect_of_an_assembly_whose_provenance_resource_claims_a_wrong_length_says_so(int length)
    {
        var bytes = File.ReadAllBytes(typeof(ChurnModel).Assembly.Location);
        var provenance = File.ReadAllBytes(Fixture);
        var at = bytes.AsSpan().IndexOf(provenance);
        Assert.True(at > 4, "the fixture's provenance is embedded as written");
        BitConverter.TryWriteBytes(bytes.AsSpan(at - 4, 4), length);
        var damaged = Path.Combine(Directory.CreateTempSubdirectory("mlops-inspect-").FullName, "App.dll");
        File.WriteAllBytes(damaged, bytes);
        var problems = new List<string>();

        var found = AssemblyModels.Find(damaged, problems);

        Assert.Empty(found);
        Assert.Contains(problems, p => p.StartsWith(damaged, StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_of_a_folder_names_a_damaged_package_reads_a_zip_bomb_only_as_far_as_it_declares_does_not_follow_a_link_back_up_and_reads_the_rest()
    {
        var assembly = typeof(ChurnModel).Assembly.Location;
        var folder = Directory.CreateTempSubdirectory("mlops-inspect-").FullName;
        File.Copy(assembly, Path.Combine(folder, "App.dll"));
        File.WriteAllText(Path.Combine(folder, "Broken.1.0.0.nupkg"), "not a zip file");
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), folder);
        // A package whose entry says it holds 100 bytes and inflates to a megabyte (a zip bomb says less still).
        var bomb = Path.Combine(folder, "Bomb.1.0.0.nupkg");
        using (var zip = ZipFile.Open(bomb, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("lib/net10.0/Bomb.dll").Open())
        {
            entry.Write(new byte[1 << 20]);
        }
        var bytes = File.ReadAllBytes(bomb);
        foreach (var (signature, sizeAt) in new[] { (0x04034b50, 22), (0x02014b50, 24) })
        {
            var header = bytes.AsSpan().IndexOf(BitConverter.GetBytes(signature));
            BitConverter.TryWriteBytes(bytes.AsSpan(header + sizeAt, 4), 100);
        }
        File.WriteAllBytes(bomb, bytes);
        var problems = new List<string>();

        var found = AssemblyModels.Find(folder, problems);

        Assert.Equal("ChurnModel", Assert.Single(found).Model);
        // The bomb's entry is read as the 100 bytes it declares: not an assembly, so nothing to say about it.
        var problem = Assert.Single(problems);
        Assert.StartsWith(Path.Combine(folder, "Broken.1.0.0.nupkg") + ": cannot be read (", problem);
    }
}

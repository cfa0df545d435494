using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Provenance;
using MLOps.Build.Testing;

namespace MLOps.Build.Tests.Provenance;

/// <summary>The ML bill of materials against CycloneDX's official 1.6 JSON schema, and what it says about each model.</summary>
public sealed class MachineLearningBomTests
{
    private static readonly string RepositoryRoot = TestRepository.Root;
    private static ProvenanceStatement Churn() =>
        ArtifactJson.Read(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", "ChurnModel", "provenance.json"), ArtifactJson.Provenance);

    /// <summary>A second model whose training data is a PostgreSQL query, without a lock file or trainer (imported).</summary>
    private static ProvenanceStatement Imported() => Churn() with
    {
        Name = "Scorer",
        Task = "onnx",
        Trainer = null,
        Accepted = null,
        Gates = [],
        Data = [new ProvenanceData("data.test", "snapshots/" + new string('a', 64) + ".parquet", new string('a', 64), 1200, new QuerySourceCard("postgres", new string('b', 64), "LOANS_DB"))],
    };

    private static void AssertValid(byte[] bom)
    {
        var errors = CycloneDxSchema.Errors(RepositoryRoot, bom);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void The_bom_of_a_trained_and_an_imported_model_is_valid_CycloneDX_1_6()
    {
        var bom = MachineLearningBom.Write("LoanApp", "2.1.0", "0.1.0", "0.1.0", [Churn(), Imported()]);

        AssertValid(bom);
        using var document = JsonDocument.Parse(bom);
        var components = document.RootElement.GetProperty("components").EnumerateArray().ToList();
        var model = components.Single(c => c.GetProperty("bom-ref").GetString() == "model:ChurnModel");
        Assert.Equal("machine-learning-model", model.GetProperty("type").GetString());
        Assert.Equal(Churn().Onnx.Sha256, model.GetProperty("hashes")[0].GetProperty("content").GetString());
        var card = model.GetProperty("modelCard");
        Assert.Equal(("binary classification", "FastTree"), (card.GetProperty("modelParameters").GetProperty("task").GetString(), card.GetProperty("modelParameters").GetProperty("architectureFamily").GetString()));
        Assert.Contains(card.GetProperty("quantitativeAnalysis").GetProperty("performanceMetrics").EnumerateArray(), m => m.GetProperty("type").GetString() == "AreaUnderRocCurve");
        Assert.Contains(model.GetProperty("properties").EnumerateArray(), p => p.GetProperty("name").GetString() == "mlops:accepted:by" && p.GetProperty("value").GetString() == "Grace <grace@example.com>");
        var data = components.Single(c => c.GetProperty("bom-ref").GetString() == "data:ChurnModel:data.train");
        Assert.Equal((Churn().Data[0].Sha256, "dataset"), (data.GetProperty("hashes")[0].GetProperty("content").GetString(), data.GetProperty("data")[0].GetProperty("type").GetString()));
        var query = components.Single(c => c.GetProperty("bom-ref").GetString() == "data:Scorer:data.test").GetProperty("data")[0].GetProperty("contents").GetProperty("properties").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
        Assert.Equal(("postgres", "LOANS_DB", "1200"), (query["mlops:query:engine"], query["mlops:query:connectionVariable"], query["mlops:rows"]));

        // Every dependency names a component of the BOM (or the project), and each model depends on its data and the runtime.
        var refs = components.Select(c => c.GetProperty("bom-ref").GetString()).Append("project:LoanApp").ToHashSet();
        var dependencies = document.RootElement.GetProperty("dependencies").EnumerateArray().ToDictionary(d => d.GetProperty("ref").GetString()!, d => d.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString()).ToList());
        Assert.All(dependencies.SelectMany(d => d.Value.Append(d.Key)), r => Assert.Contains(r, refs));
        Assert.Equal(["data:ChurnModel:data.train", "pkg:nuget/MLOps.Runtime@0.1.0"], dependencies["model:ChurnModel"]);
        Assert.Equal(["model:ChurnModel", "model:Scorer"], dependencies["project:LoanApp"]);
    }

    [Fact]
    public void The_same_models_give_the_same_bytes_and_a_changed_model_another_serial_number()
    {
        var first = MachineLearningBom.Write("LoanApp", "2.1.0", "0.1.0", "0.1.0", [Churn()]);
        var again = MachineLearningBom.Write("LoanApp", "2.1.0", "0.1.0", "0.1.0", [Churn()]);
        var retrained = MachineLearningBom.Write("LoanApp", "2.1.0", "0.1.0", "0.1.0", [Churn() with { Onnx = Churn().Onnx with { Sha256 = new string('c', 64) } }]);

        Assert.Equal(first, again);
        string Serial(byte[] bom) => JsonDocument.Parse(bom).RootElement.GetProperty("serialNumber").GetString()!;
        Assert.NotEqual(Serial(first), Serial(retrained));
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", Serial(first));
        AssertValid(retrained);
    }

    [Fact]
    public void A_bom_that_breaks_the_schema_is_caught_by_the_check()
    {
        var broken = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(MachineLearningBom.Write("LoanApp", "2.1.0", "0.1.0", "0.1.0", [Churn()]))
            .Replace("\"machine-learning-model\"", "\"ml-model\"", StringComparison.Ordinal));

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertValid(broken));
    }
}

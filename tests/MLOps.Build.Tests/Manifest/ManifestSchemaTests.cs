using MLOps.Build.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MLOps.Build.Drift;
using MLOps.Build.Manifest;

namespace MLOps.Build.Tests.Manifest;

/// <summary>
/// The manifest's JSON Schema (schema/mlmodel.schema.json, shipped in the package) says what the parser reads: the same
/// keys in every section, the same engines, drift methods and weightings, and every manifest in the repository is valid.
/// </summary>
public sealed class ManifestSchemaTests
{
    private static readonly string RepositoryRoot = TestRepository.Root;

    private static readonly string SchemaPath = Path.Combine(RepositoryRoot, "schema", "mlmodel.schema.json");

    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static JsonNode Schema => JsonNode.Parse(File.ReadAllText(SchemaPath))!;

    private static JsonNode At(string path)
    {
        var node = Schema;
        foreach (var step in path.Split('/'))
        {
            node = int.TryParse(step, out var index) ? node[index]! : node[step]!;
        }
        return node;
    }

    private static IEnumerable<string> Keys(string path) => At(path).AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);

    private static IEnumerable<string> Values(string path) => At(path).AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal);

    public static TheoryData<string, string[]> Sections() => new()
    {
        { "properties", ManifestParser.RootKeys },
        { "properties/data/properties", ManifestParser.DataKeys },
        { "definitions/fileEntry/oneOf/1/properties", ManifestParser.FileKeys },
        { "definitions/dataEntry/oneOf/1/properties", ManifestParser.QueryKeys },
        { "properties/trainer/oneOf/1/properties", ManifestParser.TrainerKeys },
        { "properties/gates/items/properties", ManifestParser.GateKeys },
        { "properties/importance/oneOf/1/properties", ManifestParser.ImportanceKeys },
        { "properties/drift/properties", ManifestParser.DriftKeys },
        { "properties/drift/properties/features/additionalProperties/oneOf/1/properties", ManifestParser.DriftFeatureKeys },
        { "properties/columns/additionalProperties/oneOf/1/properties", ManifestParser.ColumnKeys },
        { "properties/rows/properties", ManifestParser.RowsKeys },
        { "properties/rows/properties/ranges/additionalProperties/properties", ManifestParser.RowRangeKeys },
        { "properties/sweep/properties", ManifestParser.SweepKeys },
        { "properties/sweep/properties/space/additionalProperties/additionalProperties/anyOf/0/properties", ManifestParser.RangeKeys },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Each_section_has_the_keys_the_parser_reads(string path, string[] parserKeys)
    {
        Assert.Equal(parserKeys.Order(StringComparer.Ordinal), Keys(path));
    }

    [Fact]
    public void Engines_drift_methods_and_weightings_are_the_parser_s()
    {
        Assert.Equal(QueryEngines.Names.Order(StringComparer.Ordinal), Values("definitions/dataEntry/oneOf/1/properties/engine/enum"));
        Assert.Equal(DriftMethods.All.Order(StringComparer.Ordinal), Values("definitions/driftMethod/enum"));
        Assert.Equal(TextFeaturizationSpec.Weightings.Order(StringComparer.Ordinal), Values("properties/columns/additionalProperties/oneOf/1/properties/weighting/enum"));
        Assert.All(Values("definitions/columnType/enum"), type => Assert.True(ColumnKinds.TryParse(type, out _), type));
    }

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "samples", Path.Combine("tests", "Fixtures") })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot, folder), "*.mlmodel.json", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryRoot, file));
            }
        }
        return data;
    }

    private static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json, Jsonc);
        return JsonSchema.FromFile(SchemaPath, new BuildOptions { SchemaRegistry = new SchemaRegistry() })
            .Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_manifest_in_the_repository_is_valid(string manifest)
    {
        var result = Evaluate(File.ReadAllText(Path.Combine(RepositoryRoot, manifest)));

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("\"trainer\": \"LightGbm\", \"seeed\": 3")]
    [InlineData("\"trainer\": \"LightGbm\", \"data\": { \"train\": { \"sql\": \"SELECT 1\", \"connection\": \"Host=db;Password=x\" } }")]
    [InlineData("\"trainer\": \"LightGbm\", \"drift\": { \"method\": \"kl\" }")]
    [InlineData("\"trainer\": \"LightGbm\", \"gates\": [ { \"metric\": \"Accuracy\", \"maxIncrease\": \"5 percent\" } ]")]
    public void Mistakes_the_parser_refuses_are_schema_errors_in_the_editor(string body)
    {
        Assert.False(Evaluate("{ \"name\": \"M\", \"task\": \"binary\", \"label\": \"y\", " + body + " }").IsValid);
    }
}

using System.Text.Json;
using Json.Schema;

namespace MLOps.Build.Testing;

/// <summary>CycloneDX's official 1.6 JSON schema (vendored in tests/Fixtures/CycloneDX), for checking the BOMs MLOps.Build writes.</summary>
public static class CycloneDxSchema
{
    private static readonly object Gate = new();
    private static JsonSchema? s_schema;

    /// <summary>The schema's errors for <paramref name="bom"/>, one line each ("/components/0/type: enum …"); empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string repositoryRoot, byte[] bom)
    {
        using var document = JsonDocument.Parse(bom);
        var result = Schema(repositoryRoot).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    private static JsonSchema Schema(string repositoryRoot)
    {
        lock (Gate)
        {
            if (s_schema is null)
            {
                var folder = Path.Combine(repositoryRoot, "tests", "Fixtures", "CycloneDX");
                var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
                JsonSchema.FromFile(Path.Combine(folder, "spdx.schema.json"), options);
                JsonSchema.FromFile(Path.Combine(folder, "jsf-0.82.schema.json"), options);
                s_schema = JsonSchema.FromFile(Path.Combine(folder, "bom-1.6.schema.json"), options);
            }
            return s_schema;
        }
    }
}

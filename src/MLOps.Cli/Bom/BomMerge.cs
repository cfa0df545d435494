using System.Text.Json.Nodes;

namespace MLOps.Cli.Bom;

/// <summary>
/// Adds a project's ML bill of materials to the package SBOM the CycloneDX .NET tool wrote for it
/// (<c>dotnet CycloneDX App.csproj -F Json -spv 1.6</c>): the model and data components, their dependencies, and the
/// application (the SBOM's own <c>metadata.component</c>) depending on its models. Components the SBOM already has
/// (MLOps.Runtime, by its package URL) are not added twice; the SBOM's serial number and other content are kept.
/// </summary>
public static class BomMerge
{
    /// <summary>The merged BOM; null with <paramref name="problem"/> set when the SBOM cannot take ML components.</summary>
    public static JsonObject? Merge(JsonObject sbom, JsonObject ml, out string? problem)
    {
        problem = null;
        if (sbom["bomFormat"]?.GetValue<string>() != "CycloneDX" || sbom["specVersion"]?.GetValue<string>() is not { } spec)
        {
            problem = "it is not a CycloneDX JSON BOM (no bomFormat \"CycloneDX\" and specVersion).";
            return null;
        }
        if (!Version.TryParse(spec, out var version) || version < new Version(1, 6))
        {
            problem = $"it is CycloneDX {spec}; machine-learning-model components with model cards need 1.6 or later: write it with -spv 1.6.";
            return null;
        }
        var merged = (JsonObject)sbom.DeepClone();
        var application = merged["metadata"]?["component"]?["bom-ref"]?.GetValue<string>();
        var mlProject = ml["metadata"]?["component"]?["bom-ref"]?.GetValue<string>();

        var components = merged["components"] as JsonArray ?? (JsonArray)(merged["components"] = new JsonArray());
        var known = components.Select(c => c?["bom-ref"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var component in ml["components"]?.AsArray() ?? [])
        {
            if (component?["bom-ref"]?.GetValue<string>() is { } reference && known.Add(reference))
            {
                components.Add(component.DeepClone());
            }
        }

        var dependencies = merged["dependencies"] as JsonArray ?? (JsonArray)(merged["dependencies"] = new JsonArray());
        var declared = dependencies.Select(d => d?["ref"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var dependency in ml["dependencies"]?.AsArray() ?? [])
        {
            var reference = dependency?["ref"]?.GetValue<string>();
            if (reference == mlProject)
            {
                // The ML BOM's project is the SBOM's application: it depends on the models.
                var models = dependency!["dependsOn"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
                if (application is not null)
                {
                    var entry = dependencies.FirstOrDefault(d => d?["ref"]?.GetValue<string>() == application)
                        ?? Add(dependencies, new JsonObject { ["ref"] = application, ["dependsOn"] = new JsonArray() });
                    var dependsOn = entry!["dependsOn"] as JsonArray ?? (JsonArray)(entry["dependsOn"] = new JsonArray());
                    foreach (var model in models.Where(m => !dependsOn.Any(d => d?.GetValue<string>() == m)))
                    {
                        dependsOn.Add(model);
                    }
                }
                continue;
            }
            if (reference is not null && declared.Add(reference))
            {
                dependencies.Add(dependency!.DeepClone());
            }
        }

        if (ml["metadata"]?["tools"]?["components"]?.AsArray() is { } tools && merged["metadata"] is JsonObject metadata)
        {
            var mergedTools = metadata["tools"]?["components"] as JsonArray;
            if (mergedTools is null)
            {
                metadata["tools"] = new JsonObject { ["components"] = mergedTools = new JsonArray() };
            }
            foreach (var tool in tools)
            {
                mergedTools.Add(tool!.DeepClone());
            }
        }
        return merged;
    }

    private static JsonNode Add(JsonArray array, JsonObject node)
    {
        array.Add(node);
        return node;
    }
}

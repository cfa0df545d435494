using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Build.IO;
using MLOps.Cli.Bom;
using MLOps.Cli.Projects;

namespace MLOps.Cli.Commands;

/// <summary>
/// <c>dotnet mlops bom [--merge-into SBOM]</c>: the project's ML bill of materials (CycloneDX 1.6, written by the build),
/// or that BOM added into the package SBOM the CycloneDX .NET tool wrote, in place.
/// </summary>
public static class BomCommand
{
    public sealed record BomResult(string Bom, string? MergedInto, int ModelsAdded);

    public static int Run(ProjectModels project, string? mergeInto, bool json)
    {
        var path = project.BomPath;
        if (path.Length == 0 || !File.Exists(path))
        {
            Output.Error($"'{path}' does not exist: build the project first (dotnet build; the ML BOM is written with the models' provenance), or MLOpsBomPath names another file.");
            return 1;
        }
        if (mergeInto is null)
        {
            Write(json, new BomResult(path, null, 0), path);
            return 0;
        }
        var target = Path.GetFullPath(mergeInto);
        JsonObject? sbom;
        try
        {
            sbom = JsonNode.Parse(File.ReadAllText(target)) as JsonObject;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            Output.Error($"'{mergeInto}' cannot be read as JSON ({ex.Message}).");
            return 1;
        }
        var ml = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        string? problem = "it is not a JSON object.";
        if (sbom is null || BomMerge.Merge(sbom, ml, out problem) is not { } merged)
        {
            Output.Error($"'{mergeInto}' cannot take the ML bill of materials: {problem}");
            return 1;
        }
        var models = merged["components"]!.AsArray().Count(c => c?["type"]?.GetValue<string>() == "machine-learning-model");
        AtomicFile.WriteAllBytes(target, Encoding.UTF8.GetBytes(merged.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        Write(json, new BomResult(path, target, models), $"Added {models} model(s) of {path} to {target}");
        return 0;
    }

    private static void Write(bool json, BomResult result, string text)
    {
        if (json)
        {
            Output.WriteJson(result);
        }
        else
        {
            Console.Out.WriteLine(text);
        }
    }
}

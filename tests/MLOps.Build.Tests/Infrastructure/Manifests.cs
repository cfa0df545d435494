using System.Text;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;

namespace MLOps.Build.Tests.Infrastructure;

public static class Manifests
{
    public const string Valid = """
        {
          "name": "Penguins",
          "version": "2.1.0",
          "task": "multiclass",
          "label": "species",
          "data": {
            "train": { "path": "data/train.csv", "sha256": "0000000000000000000000000000000000000000000000000000000000000000" },
            "test": "data/test.csv"
          },
          "columns": { "island": "category", "Body Mass (g)": "float" },
          "exclude": ["id"],
          "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 15 } },
          "seed": 7,
          "gates": [ { "metric": "MacroAccuracy", "min": 0.9 } ],
          "drift": { "current": "data/recent.csv", "method": "auto" }
        }
        """;

    public static (ModelManifest? Manifest, IReadOnlyList<MLOpsDiagnostic> Diagnostics) Parse(string json, string path = "m.mlmodel.json")
    {
        var bag = new DiagnosticBag();
        var manifest = ManifestParser.Parse(new FileText(path, Encoding.UTF8.GetBytes(json)), bag);
        return (manifest, bag.Items);
    }
}

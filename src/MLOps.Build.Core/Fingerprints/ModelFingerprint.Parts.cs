using System.Text;
using MLOps.Build.Json;
using MLOps.Build.Manifest;

namespace MLOps.Build.Fingerprints;

public static partial class ModelFingerprint
{
    /// <summary>The part naming the tool's version.</summary>
    public const string ToolPart = "tool";

    /// <summary>The prefix of a data file's part, its role: <c>data.train</c>, <c>data.test</c>.</summary>
    public const string DataPartPrefix = "data.";

    /// <summary>The prefix of a manifest setting's part: <c>manifest.trainer.options.NumberOfTrees</c>.</summary>
    public const string ManifestPartPrefix = "manifest.";

    /// <summary>
    /// What <see cref="Compute"/> hashes, one named part per setting, data file and the tool, so that two
    /// fingerprints that differ can say where (<see cref="RetrainReason"/>): every object of the manifest is opened down
    /// to its values (an array is one value), under the same rules as the fingerprint (what does not train is left
    /// out, a pinned file is its path, its hash is the data part's, a query's SQL is its SHA-256).
    /// </summary>
    public static SortedDictionary<string, string> Parts(ModelManifest manifest, IReadOnlyDictionary<string, string> dataHashes, string toolVersion)
    {
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ToolPart] = toolVersion };
        foreach (var pair in dataHashes.Where(p => p.Key != DataFileReference.DriftCurrentRole))
        {
            parts[pair.Key] = pair.Value;
        }
        AddParts(manifest.Root, ManifestPartPrefix.TrimEnd('.'), parts, topLevel: true);
        return parts;
    }

    private static void AddParts(LocatedNode node, string name, SortedDictionary<string, string> parts, bool topLevel = false)
    {
        if (node is LocatedObject obj && !IsPinnedPath(obj))
        {
            foreach (var property in obj.Properties.GroupBy(p => p.Name).Select(g => g.Last())
                         .Where(p => p.Name != "sha256" && !(topLevel && NotTrainingInputs.Contains(p.Name))))
            {
                AddParts(property.Value, name + "." + property.Name, parts);
            }
            return;
        }
        // A query's SQL is named by its hash, as in the card: its text may hold what the card must not repeat.
        if (name.EndsWith(".sql", StringComparison.Ordinal) && node is LocatedScalar { Kind: LocatedKind.String } sql)
        {
            parts[name] = "sha256:" + QuerySpec.HashOf(sql.Text!);
            return;
        }
        var text = new StringBuilder();
        WriteCanonical(node, text);
        parts[name] = text.ToString();
    }

    private static bool IsPinnedPath(LocatedObject obj) =>
        obj.Properties.Where(p => p.Name != "sha256").ToList() is [{ Name: "path", Value: LocatedScalar { Kind: LocatedKind.String } }];
}

using System.Text.Json;
using System.Text.Json.Serialization;
using MLOps.Build.IO;

namespace MLOps.Build.Tasks.Validate;

/// <summary>
/// <c>*.mlmodel.lock.json</c>, committed next to the manifest: the model that was last accepted, so that change
/// gates have a baseline and a CI build can tell a reviewed model from an unreviewed one.
/// </summary>
public sealed class ModelLock
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public string ModelSha256 { get; set; } = "";
    public SortedDictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> Data { get; set; } = new(StringComparer.Ordinal);
    public string Tool { get; set; } = "";

    public static string PathFor(string manifestPath) =>
        manifestPath.EndsWith(".mlmodel.json", StringComparison.OrdinalIgnoreCase)
            ? manifestPath.Substring(0, manifestPath.Length - ".json".Length) + ".lock.json"
            : manifestPath + ".lock.json";

    public static ModelLock? Read(string path) => JsonSerializer.Deserialize<ModelLock>(File.ReadAllBytes(path), Json);

    /// <summary>Writes only when different, so an unchanged model leaves the committed file untouched.</summary>
    public void Write(string path) => AtomicFile.WriteIfChanged(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}

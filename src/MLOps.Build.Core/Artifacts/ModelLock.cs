using System.Text.Json.Serialization;
using K = MLOps.Shared.ModelLockKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>*.mlmodel.lock.json</c>, committed next to the manifest: the model that was last accepted, so that change
/// gates have a baseline and a CI build can tell a reviewed model from an unreviewed one.
/// </summary>
/// <param name="Data">Hash of each data file the model learned from, by role ("data.train", "data.test").</param>
public sealed record ModelLock(
    [property: JsonPropertyName(K.Name)] string Name,
    [property: JsonPropertyName(K.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.ModelSha256)] string ModelSha256,
    [property: JsonPropertyName(K.Metrics)] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName(K.Data)] IReadOnlyDictionary<string, string> Data,
    [property: JsonPropertyName(K.Tool)] string Tool) : IJsonOnDeserialized
{
    void IJsonOnDeserialized.OnDeserialized() => WholeRecord.Require(
        this is { Name: not null, Fingerprint: not null, ModelSha256: not null, Metrics: not null, Data: not null, Tool: not null }, "lock file");

    /// <summary>Next to the manifest: <c>X.mlmodel.json</c> → <c>X.mlmodel.lock.json</c>.</summary>
    public static string PathFor(string manifestPath) =>
        manifestPath.EndsWith(".mlmodel.json", StringComparison.OrdinalIgnoreCase)
            ? manifestPath.Substring(0, manifestPath.Length - ".json".Length) + ".lock.json"
            : manifestPath + ".lock.json";

    /// <summary>The accepted model as built now: metrics and data hashes from its card.</summary>
    public static ModelLock FromCard(string modelName, ModelCard card, string fingerprint)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (card.Data is { } files)
        {
            data["data.train"] = files.Train.Sha256;
            if (files.Test is { } test)
            {
                data["data.test"] = test.Sha256;
            }
        }
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in card.Metrics)
        {
            metrics[metric.Key] = metric.Value;
        }
        return new ModelLock(modelName, fingerprint, card.Onnx.Sha256, metrics, data, card.Tool.Version);
    }
}

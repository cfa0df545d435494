using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using MLOps.Shared;
using K = MLOps.Shared.ProvenanceKeys;

namespace MLOps.Runtime;

/// <summary>
/// Where an embedded model came from, as the build recorded it next to the model
/// (<c>MLOps.Models.{ModelName}.provenance.json</c>): the data it learned from, the manifest and commit, the trainer,
/// the test metrics and gate outcomes, whether it is the accepted model and who accepted it, the ONNX hash and the tool
/// versions. The same facts <c>dotnet mlops inspect</c> reads from a built app without running it.
/// </summary>
public sealed class ModelProvenance
{
    private static readonly ConcurrentDictionary<(Assembly, string), ModelProvenance?> s_embedded = new();

    private ModelProvenance(JsonElement root, string json)
    {
        Json = json;
        ModelName = root.GetProperty(K.Name).GetString()!;
        Version = root.GetProperty(K.Version).GetString()!;
        Task = root.GetProperty(K.Task).GetString()!;
        Label = Optional(root, K.Label)?.GetString();
        var manifest = root.GetProperty(K.Manifest);
        ManifestPath = manifest.GetProperty(K.Path).GetString()!;
        ManifestSha256 = manifest.GetProperty(K.Sha256).GetString()!;
        Commit = Optional(root, K.Commit)?.GetString();
        Data = root.GetProperty(K.Data).EnumerateArray().Select(d => new DataSourceProvenance(
            d.GetProperty(K.Role).GetString()!, d.GetProperty(K.Path).GetString()!, d.GetProperty(K.Sha256).GetString()!,
            d.GetProperty(K.Rows).GetInt64(), Optional(d, K.Query) is { } query ? query.GetProperty(ModelCardKeys.QuerySource.Engine).GetString() : null)).ToArray();
        Trainer = Optional(root, K.Trainer)?.GetProperty(ModelCardKeys.TrainerSettings.Name).GetString();
        Metrics = root.GetProperty(K.Metrics).EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble(), StringComparer.Ordinal);
        Gates = root.GetProperty(K.Gates).EnumerateArray().Select(g => new GateProvenance(
            g.GetProperty(K.Metric).GetString()!, g.GetProperty(K.Bounds).GetString()!,
            Optional(g, K.Value)?.GetDouble(), g.GetProperty(K.Outcome).GetString()!)).ToArray();
        if (Optional(root, K.Accepted) is { } accepted)
        {
            Accepted = new ModelAcceptance(
                accepted.GetProperty(K.Path).GetString()!, accepted.GetProperty(K.AcceptedModelSha256).GetString()!,
                accepted.GetProperty(K.IsAcceptedModel).GetBoolean(), Optional(accepted, K.By)?.GetString(),
                Optional(accepted, K.At)?.GetString() is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                Optional(accepted, K.Commit)?.GetString());
        }
        OnnxSha256 = root.GetProperty(K.Onnx).GetProperty(K.Sha256).GetString()!;
        Fingerprint = root.GetProperty(K.Fingerprint).GetString()!;
        var tool = root.GetProperty(K.Tool);
        ToolVersion = tool.GetProperty(ModelCardKeys.ToolVersions.Version).GetString()!;
        MLNetVersion = tool.GetProperty(ModelCardKeys.ToolVersions.MLNet).GetString()!;
    }

    /// <summary>The model's name (the manifest's <c>name</c>).</summary>
    public string ModelName { get; }

    /// <summary>The model's version (the manifest's <c>version</c>).</summary>
    public string Version { get; }

    /// <summary>The task: <c>binary</c>, <c>multiclass</c>, <c>regression</c>, or <c>onnx</c> for an imported model.</summary>
    public string Task { get; }

    /// <summary>The label column; null for an imported model without one.</summary>
    public string? Label { get; }

    /// <summary>The manifest, relative to the repository root.</summary>
    public string ManifestPath { get; }

    /// <summary>The manifest's SHA-256 when the app was built.</summary>
    public string ManifestSha256 { get; }

    /// <summary>The git commit the app was built from; null when it was built outside git.</summary>
    public string? Commit { get; }

    /// <summary>The data the model learned from and was tested on, with hashes and row counts.</summary>
    public IReadOnlyList<DataSourceProvenance> Data { get; }

    /// <summary>The trainer's name (<c>FastTree</c>, <c>LightGbm</c>…); null for an imported model.</summary>
    public string? Trainer { get; }

    /// <summary>The test metrics the build measured.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The manifest's quality gates and their outcomes for this model.</summary>
    public IReadOnlyList<GateProvenance> Gates { get; }

    /// <summary>The lock file's acceptance; null when the model has no lock file.</summary>
    public ModelAcceptance? Accepted { get; }

    /// <summary>The SHA-256 of the embedded ONNX model.</summary>
    public string OnnxSha256 { get; }

    /// <summary>The fingerprint of everything the model was built from (data, manifest, tool versions).</summary>
    public string Fingerprint { get; }

    /// <summary>The MLOps.Build version that built the model.</summary>
    public string ToolVersion { get; }

    /// <summary>The ML.NET version that trained it.</summary>
    public string MLNetVersion { get; }

    /// <summary>The statement as embedded (JSON).</summary>
    public string Json { get; }

    /// <summary>
    /// The provenance of the model <paramref name="modelName"/> embedded in <paramref name="assembly"/>; null when the
    /// assembly holds none (built by an MLOps.Build without provenance, or the model was never trained there).
    /// </summary>
    public static ModelProvenance? FromEmbeddedResource(Assembly assembly, string modelName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(modelName);
        return s_embedded.GetOrAdd((assembly, modelName), static key =>
        {
            using var stream = key.Item1.GetManifestResourceStream(ModelResources.ProvenanceName(key.Item2));
            if (stream is null)
            {
                return null;
            }
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd());
        });
    }

    /// <summary>Reads a provenance statement (<c>provenance.json</c>).</summary>
    /// <exception cref="FormatException">The text is not a provenance statement this runtime reads.</exception>
    public static ModelProvenance Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var version = document.RootElement.GetProperty(K.SchemaVersion).GetInt32();
            if (version > K.CurrentSchemaVersion)
            {
                throw new FormatException($"Provenance schema version {version} is newer than this runtime reads ({K.CurrentSchemaVersion}); update MLOps.Runtime.");
            }
            return new ModelProvenance(document.RootElement, json);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Not a provenance statement: {ex.Message}", ex);
        }
    }

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}

/// <summary>A data entry the model learned from or was tested on.</summary>
/// <param name="Role"><c>data.train</c> or <c>data.test</c>.</param>
/// <param name="Path">As the model card records it (relative to the manifest; a query's snapshot: <c>snapshots/&lt;sha256&gt;.parquet</c>).</param>
/// <param name="Sha256">The file's (or set's, or snapshot's) SHA-256.</param>
/// <param name="Rows">Rows trained or tested on.</param>
/// <param name="QueryEngine">The SQL engine of a query entry (<c>duckdb</c>, <c>postgres</c>…); null for files.</param>
public sealed record DataSourceProvenance(string Role, string Path, string Sha256, long Rows, string? QueryEngine);

/// <summary>One quality gate of the manifest and its outcome for the model.</summary>
/// <param name="Metric">The gated metric.</param>
/// <param name="Bounds">The bounds, as the validation report writes them (<c>≥ 0.8</c>).</param>
/// <param name="Value">The metric's value; null when the model has no such metric.</param>
/// <param name="Outcome">As the validation report says: <c>pass</c>, <c>fail</c>, <c>not measured</c>, <c>skipped (no accepted model)</c>.</param>
public sealed record GateProvenance(string Metric, string Bounds, double? Value, string Outcome);

/// <summary>The lock file's acceptance of a model.</summary>
/// <param name="LockPath">The lock file, relative to the repository root.</param>
/// <param name="ModelSha256">The ONNX hash the lock file accepts.</param>
/// <param name="IsAcceptedModel">Whether the embedded model is that model.</param>
/// <param name="By">The author of the last commit that changed the lock file; null when it is not committed, or git was not at hand.</param>
/// <param name="At">That commit's author date.</param>
/// <param name="Commit">That commit.</param>
public sealed record ModelAcceptance(string LockPath, string ModelSha256, bool IsAcceptedModel, string? By, DateTimeOffset? At, string? Commit);

using System.Text.Json.Serialization;
using MLOps.Build.Artifacts;
using K = MLOps.Shared.ProvenanceKeys;

namespace MLOps.Build.Provenance;

/// <summary>
/// What an auditor asks of a model inside a shipped binary: the data it learned from (hashes, rows, queries), the
/// manifest and commit that built it, the trainer, the test metrics and gate outcomes, whether it is the accepted
/// model and who accepted it, the ONNX hash and the tool versions. Embedded next to the model as
/// <c>MLOps.Models.{Name}.provenance.json</c>; read by <c>TModel.Provenance</c> and <c>dotnet mlops inspect</c>.
/// </summary>
/// <param name="Commit">The git commit the app was built from; null outside git.</param>
public sealed record ProvenanceStatement(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Name)] string Name,
    [property: JsonPropertyName(K.Version)] string Version,
    [property: JsonPropertyName(K.Task)] string Task,
    [property: JsonPropertyName(K.Label)] string? Label,
    [property: JsonPropertyName(K.Manifest)] ProvenanceFile Manifest,
    [property: JsonPropertyName(K.Commit)] string? Commit,
    [property: JsonPropertyName(K.Data)] IReadOnlyList<ProvenanceData> Data,
    [property: JsonPropertyName(K.Trainer)] TrainerCard? Trainer,
    [property: JsonPropertyName(K.Metrics)] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName(K.Gates)] IReadOnlyList<ProvenanceGate> Gates,
    [property: JsonPropertyName(K.Accepted)] ProvenanceAcceptance? Accepted,
    [property: JsonPropertyName(K.Onnx)] ProvenanceFile Onnx,
    [property: JsonPropertyName(K.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.Tool)] ToolCard Tool);

/// <param name="Path">Relative to the repository root, with '/'.</param>
public sealed record ProvenanceFile(
    [property: JsonPropertyName(K.Path)] string Path,
    [property: JsonPropertyName(K.Sha256)] string Sha256);

/// <param name="Path">As the model card records it (a query's snapshot: <c>snapshots/&lt;sha256&gt;.parquet</c>).</param>
public sealed record ProvenanceData(
    [property: JsonPropertyName(K.Role)] string Role,
    [property: JsonPropertyName(K.Path)] string Path,
    [property: JsonPropertyName(K.Sha256)] string Sha256,
    [property: JsonPropertyName(K.Rows)] long Rows,
    [property: JsonPropertyName(K.Query)] QuerySourceCard? Query);

/// <param name="Value">The metric's value; null when the model has no such metric.</param>
/// <param name="Outcome">"passed", "failed" or "skipped", as the validation report says.</param>
public sealed record ProvenanceGate(
    [property: JsonPropertyName(K.Metric)] string Metric,
    [property: JsonPropertyName(K.Bounds)] string Bounds,
    [property: JsonPropertyName(K.Value)] double? Value,
    [property: JsonPropertyName(K.Outcome)] string Outcome);

/// <param name="Lock">The lock file, relative to the repository root.</param>
/// <param name="IsAcceptedModel">Whether the embedded model is the one the lock file accepts (its ONNX hash).</param>
/// <param name="By">The author of the last commit that changed the lock file ("Name &lt;email&gt;"); null when it is not committed or git is not at hand.</param>
/// <param name="At">That commit's author date (ISO 8601 with offset).</param>
/// <param name="Commit">That commit.</param>
public sealed record ProvenanceAcceptance(
    [property: JsonPropertyName(K.Path)] string Lock,
    [property: JsonPropertyName(K.AcceptedModelSha256)] string ModelSha256,
    [property: JsonPropertyName(K.IsAcceptedModel)] bool IsAcceptedModel,
    [property: JsonPropertyName(K.By)] string? By,
    [property: JsonPropertyName(K.At)] string? At,
    [property: JsonPropertyName(K.Commit)] string? Commit);

using System.Text.Json.Serialization;
using K = MLOps.Shared.RunRecordKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// One training run of a model, one JSON line in its run history: when, from which commit, with what trainer, options
/// and data, and what it measured. Kept outside obj/ (under the cache folder by default), so that "what changed
/// between the model we shipped last week and now" survives clean builds.
/// </summary>
/// <param name="Time">UTC, ISO 8601.</param>
/// <param name="Commit">The repository's HEAD commit when the build ran; null outside git.</param>
/// <param name="Data">SHA-256 of each data file the model learned from, by role ("data.train").</param>
public sealed record RunRecord(
    [property: JsonPropertyName(K.Time)] string Time,
    [property: JsonPropertyName(K.Commit)] string? Commit,
    [property: JsonPropertyName(K.Model)] string Model,
    [property: JsonPropertyName(K.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.ModelSha256)] string ModelSha256,
    [property: JsonPropertyName(K.Trainer)] string Trainer,
    [property: JsonPropertyName(K.Options)] IReadOnlyDictionary<string, object?> Options,
    [property: JsonPropertyName(K.Seed)] int Seed,
    [property: JsonPropertyName(K.Data)] IReadOnlyDictionary<string, string> Data,
    [property: JsonPropertyName(K.Metrics)] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName(K.DurationSeconds)] double DurationSeconds,
    [property: JsonPropertyName(K.Tool)] string Tool,
    [property: JsonPropertyName(K.Sweep)] SweepSummaryCard? Sweep) : IJsonOnDeserialized
{
    void IJsonOnDeserialized.OnDeserialized() => WholeRecord.Require(
        this is { Time: not null, Model: not null, Fingerprint: not null, ModelSha256: not null, Trainer: not null, Options: not null, Data: not null, Metrics: not null, Tool: not null }
        && Sweep is null or { Strategy: not null, Metric: not null, Best: { Trainer: not null, Options: not null } }, "run record");
}

using System.Text.Json;
using System.Text.Json.Serialization;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps.Workers;

/// <summary>One configuration sent to a worker process: one JSON line on its standard input.</summary>
public sealed record TrialRequest(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("trainer")] string Trainer,
    [property: JsonPropertyName("options")] IReadOnlyList<TrialRequestOption> Options,
    [property: JsonPropertyName("fingerprint")] string Fingerprint)
{
    public static TrialRequest From(TrialConfig config, string fingerprint) => new(config.Index, config.Trainer,
        [.. config.Options.Select(o => new TrialRequestOption(o.Name, o.Value.Kind.ToString(), o.Value.Text))], fingerprint);

    public string ToLine() => JsonSerializer.Serialize(this, TrialRequestJson.Default.TrialRequest);

    public static TrialRequest Parse(string line) =>
        JsonSerializer.Deserialize(line, TrialRequestJson.Default.TrialRequest) ?? throw new JsonException("An empty trial request.");

    /// <summary>
    /// The configuration as the worker evaluates it. Only the trainer and the option values decide a trial's result;
    /// the search space's ranges and locations matter to the sampler and to messages, which stay in the coordinator.
    /// </summary>
    public TrialConfig ToConfig(ModelManifest manifest)
    {
        var entry = TrainerRegistry.Find(manifest.Task, Trainer) ?? throw new JsonException($"'{Trainer}' is not a {manifest.Task.ToName()} trainer.");
        var location = manifest.Sweep?.Location ?? Diagnostics.FileLocation.File(manifest.Path);
        return new TrialConfig(Index, new ResolvedSpace(entry, location, [], null),
            [.. Options.Select(o => (o.Name, new OptionLiteral(Enum.Parse<LocatedKind>(o.Kind), o.Text)))]);
    }
}

public sealed record TrialRequestOption(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("text")] string? Text);

[JsonSerializable(typeof(TrialRequest))]
internal sealed partial class TrialRequestJson : JsonSerializerContext;

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MLOps.Build.IO;

namespace MLOps.Build.Artifacts;

/// <summary>
/// Reads and writes every artifact format through one source-generated serializer: no reflection on the hot path
/// of a no-op build, the same bytes from every writer. Writes are atomic.
/// </summary>
public static class ArtifactJson
{
    private static readonly ArtifactJsonContext Context = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Category values and paths stay readable ("Monthly Spend ($)", "<30"): the files are for people too.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    public static JsonTypeInfo<ModelCard> ModelCard => Context.ModelCard;
    public static JsonTypeInfo<DriftReport> DriftReport => Context.DriftReport;
    public static JsonTypeInfo<ModelLock> ModelLock => Context.ModelLock;
    public static JsonTypeInfo<SweepReport> SweepReport => Context.SweepReport;
    public static JsonTypeInfo<TrialRecord> TrialRecord => Context.TrialRecord;
    public static JsonTypeInfo<IReadOnlyDictionary<string, double>> Metrics => Context.IReadOnlyDictionaryStringDouble;
    public static JsonTypeInfo<RunRecord> RunRecord => Context.RunRecord;
    public static JsonTypeInfo<Provenance.ProvenanceStatement> Provenance => Context.ProvenanceStatement;
    public static JsonTypeInfo<MonitoringSettings> MonitoringSettings => Context.MonitoringSettings;
    public static JsonTypeInfo<ModelComparison> ModelComparison => Context.ModelComparison;

    /// <summary>A fingerprint's parts by name (<c>inputs.parts.json</c>).</summary>
    public static JsonTypeInfo<Dictionary<string, string>> FingerprintParts => Context.DictionaryStringString;

    /// <summary>A cache entry's file list (a folder's <c>entry.json</c>, a server's <c>/ac/</c> record): each file's SHA-256 by name.</summary>
    public static JsonTypeInfo<Dictionary<string, string>> CacheEntry => Context.DictionaryStringString;

    /// <summary>One line of a JSON Lines file (no indentation, no newline inside).</summary>
    public static string Line<T>(T value, JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)LineContext.GetTypeInfo(type.Type)!);

    public static T ParseLine<T>(string line, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(line, (JsonTypeInfo<T>)LineContext.GetTypeInfo(type.Type)!) ?? throw new JsonException("the line holds JSON null");

    private static readonly ArtifactJsonContext LineContext = new(new JsonSerializerOptions
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    /// <exception cref="JsonException">Not JSON, or not this format.</exception>
    public static T Deserialize<T>(byte[] json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new JsonException("the file holds JSON null");

    /// <exception cref="JsonException">Not JSON, or not this format.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static T Read<T>(string path, JsonTypeInfo<T> type) => Deserialize(IO.RegularFile.ReadAllBytes(path), type);

    /// <summary>
    /// An artifact that is optional to its reader (an earlier run's, a report's detail): null when it is missing or
    /// cannot be read, which only leaves it unmentioned.
    /// </summary>
    public static T? ReadOrNull<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return File.Exists(path) ? Read(path, type) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void Write<T>(string path, T value, JsonTypeInfo<T> type) => AtomicFile.WriteAllBytes(path, Serialize(value, type));

    /// <summary>Writes only when the bytes differ, so that timestamps (and incremental builds and git) see no change.</summary>
    public static bool WriteIfChanged<T>(string path, T value, JsonTypeInfo<T> type) => AtomicFile.WriteIfChanged(path, Serialize(value, type));
}

[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(DriftReport))]
[JsonSerializable(typeof(ModelLock))]
[JsonSerializable(typeof(SweepReport))]
[JsonSerializable(typeof(TrialRecord))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(MonitoringSettings))]
[JsonSerializable(typeof(ModelComparison))]
[JsonSerializable(typeof(Provenance.ProvenanceStatement))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
// Trainer option values (TrainerCard.Options) are written by their runtime type and read back as elements.
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ArtifactJsonContext : JsonSerializerContext;

using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;

namespace MLOps.Build.Protocol;

/// <summary>
/// What a trainer run found, written by the trainer to the file named by <see cref="TrainerArguments.ResultPath"/> and
/// read by the build (TrainerRunner): whether the command succeeded and its diagnostics with their locations. The
/// build decides on this file, never on what the trainer printed, so no line of output (a column name, a cell
/// echoed in a message) can turn into an error or hide one; a run that leaves no file did not finish.
/// </summary>
public sealed record TrainerResult(bool Succeeded, IReadOnlyList<MLOpsDiagnostic> Diagnostics)
{
    /// <summary>Bumped when a field changes meaning; a file of another version is not read.</summary>
    public const int ProtocolVersion = 1;

    private static readonly Dictionary<string, DiagnosticCode> KnownCodes =
        DiagnosticCodes.All.ToDictionary(code => code.Id, StringComparer.Ordinal);

    /// <summary>Errors count against success even when the command itself returned true.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticLevel.Error);

    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToJson());

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("protocol", ProtocolVersion);
            json.WriteBoolean("succeeded", Succeeded);
            json.WriteStartArray("diagnostics");
            foreach (var diagnostic in Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("id", diagnostic.Id);
                json.WriteString("severity", SeverityName(diagnostic.Severity));
                json.WriteString("path", diagnostic.Location.Path);
                json.WriteNumber("line", diagnostic.Location.Line);
                json.WriteNumber("column", diagnostic.Location.Column);
                json.WriteString("message", diagnostic.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The result at <paramref name="path"/>; null when there is none or it is not a whole result of this version.</summary>
    public static TrainerResult? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("protocol", out var protocol) || protocol.ValueKind != JsonValueKind.Number || protocol.GetInt32() != ProtocolVersion
                || !root.TryGetProperty("succeeded", out var succeeded) || succeeded.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !root.TryGetProperty("diagnostics", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var diagnostics = new List<MLOpsDiagnostic>();
            foreach (var item in items.EnumerateArray())
            {
                if (ReadDiagnostic(item) is not { } diagnostic)
                {
                    return null;
                }
                diagnostics.Add(diagnostic);
            }
            return new TrainerResult(succeeded.GetBoolean(), diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static MLOpsDiagnostic? ReadDiagnostic(JsonElement item)
    {
        string? Text(string name) =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        int Number(string name) =>
            item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0 ? number : 0;

        if (Text("id") is not { Length: > 0 } id || Text("message") is not { } message || ParseSeverity(Text("severity")) is not { } severity)
        {
            return null;
        }
        // A code this build does not know (a newer trainer in a mixed package) keeps the severity the trainer gave it.
        var descriptor = KnownCodes.TryGetValue(id, out var known) && known.Severity == severity ? known : new DiagnosticCode(id, severity, "");
        return new MLOpsDiagnostic(descriptor, new FileLocation(Text("path") ?? "", Number("line"), Number("column")), message);
    }

    private static string SeverityName(DiagnosticLevel severity) => severity switch
    {
        DiagnosticLevel.Error => "error",
        DiagnosticLevel.Warning => "warning",
        _ => "info",
    };

    private static DiagnosticLevel? ParseSeverity(string? name) => name switch
    {
        "error" => DiagnosticLevel.Error,
        "warning" => DiagnosticLevel.Warning,
        "info" => DiagnosticLevel.Info,
        _ => null,
    };
}

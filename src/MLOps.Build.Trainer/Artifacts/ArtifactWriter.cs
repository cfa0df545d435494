using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLOps.Build.IO;

namespace MLOps.Build.Trainer.Artifacts;

/// <summary>
/// Writes each artifact atomically, and the fingerprint stamp last: a build killed half-way leaves no stamp,
/// so the next build trains again instead of trusting a partial model.
/// </summary>
public static class ArtifactWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string directory, byte[] onnx, ModelCard card, string fingerprint)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.Onnx), onnx);
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.Metrics), JsonSerializer.SerializeToUtf8Bytes(card.Metrics, Json));
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.ModelCard), JsonSerializer.SerializeToUtf8Bytes(card, Json));
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
    }
}

#if NET
using System.Security.Cryptography;
#endif
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLOps.Build.Provenance;

/// <summary>
/// A model's provenance as a signed in-toto statement: an in-toto Statement v1 whose subject is the embedded ONNX model
/// (by SHA-256) and whose predicate is SLSA Provenance v1 (the manifest and commit as external parameters, the data as
/// resolved dependencies, MLOps.Build as the builder, the whole provenance statement as internal parameters), in a DSSE
/// envelope signed with an ECDSA P-256 key (PKCS#8 PEM, as <c>openssl</c> and cosign write them). Verified with the
/// public key (SPKI PEM) by <c>dotnet mlops inspect --verify</c>.
/// </summary>
public static class ProvenanceSigning
{
    public const string PayloadType = "application/vnd.in-toto+json";
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string BuildType = "https://github.com/mlops-build/mlops-build/train/v1";

    /// <summary>The environment variable that holds the signing key unless <c>MLOpsProvenanceSigningKeyVariable</c> names another.</summary>
    public const string DefaultKeyVariable = "MLOPS_PROVENANCE_KEY";

    /// <summary>Whether this framework can sign and verify (the .NET SDK's MSBuild can; .NET Framework's cannot read PEM keys).</summary>
#if NET
    public static bool IsSupported => true;
#else
    public static bool IsSupported => false;
#endif

    /// <summary>The in-toto statement of a model's provenance (UTF-8 JSON).</summary>
    public static byte[] Statement(ProvenanceStatement provenance)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("_type", StatementType);
            json.WriteStartArray("subject");
            json.WriteStartObject();
            json.WriteString("name", Shared.ModelResources.Name(provenance.Name));
            json.WriteStartObject("digest");
            json.WriteString("sha256", provenance.Onnx.Sha256);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("predicateType", PredicateType);
            json.WriteStartObject("predicate");
            json.WriteStartObject("buildDefinition");
            json.WriteString("buildType", BuildType);
            json.WriteStartObject("externalParameters");
            json.WriteString("manifest", provenance.Manifest.Path);
            json.WriteString("commit", provenance.Commit);
            json.WriteEndObject();
            json.WritePropertyName("internalParameters");
            json.WriteRawValue(Artifacts.ArtifactJson.Serialize(provenance, Artifacts.ArtifactJson.Provenance));
            json.WriteStartArray("resolvedDependencies");
            Dependency(json, provenance.Manifest.Path, "manifest", provenance.Manifest.Sha256);
            foreach (var data in provenance.Data)
            {
                Dependency(json, data.Path, data.Role, data.Sha256);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("runDetails");
            json.WriteStartObject("builder");
            json.WriteString("id", $"https://github.com/mlops-build/mlops-build@{provenance.Tool.Version}");
            json.WriteEndObject();
            json.WriteStartObject("metadata");
            json.WriteString("invocationId", provenance.Fingerprint);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Dependency(Utf8JsonWriter json, string path, string name, string sha256)
    {
        json.WriteStartObject();
        json.WriteString("uri", path);
        json.WriteString("name", name);
        json.WriteStartObject("digest");
        json.WriteString("sha256", sha256);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>DSSE's pre-authentication encoding: what is signed ("DSSEv1 len(type) type len(body) body").</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        return [.. header, .. type, .. middle, .. payload];
    }

    /// <summary>The payload of a DSSE envelope; null when it is not one.</summary>
    public static byte[]? Payload(byte[] envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope);
            return document.RootElement.TryGetProperty("payload", out var payload) ? Convert.FromBase64String(payload.GetString() ?? "") : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

#if NET
    /// <summary>Signs the statement into a DSSE envelope (UTF-8 JSON).</summary>
    /// <exception cref="CryptographicException">The key is not an ECDSA P-256 private key in PEM.</exception>
    /// <exception cref="ArgumentException">The text holds no PEM key.</exception>
    public static byte[] Sign(byte[] statement, string privateKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256)
        {
            throw new CryptographicException($"the key is ECDSA with a {key.KeySize}-bit curve; P-256 (prime256v1) is required");
        }
        var signature = key.SignData(PreAuthenticationEncoding(PayloadType, statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("payloadType", PayloadType);
            json.WriteString("payload", Convert.ToBase64String(statement));
            json.WriteStartArray("signatures");
            json.WriteStartObject();
            json.WriteString("keyid", KeyId(key));
            json.WriteString("sig", Convert.ToBase64String(signature));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Whether an envelope holds a signature by the key over its payload (any key: the private or the public one).</summary>
    public static bool IsSignedBy(byte[] envelope, ECDsa key)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope);
            var root = document.RootElement;
            if (root.GetProperty("payloadType").GetString() != PayloadType)
            {
                return false;
            }
            var payload = Convert.FromBase64String(root.GetProperty("payload").GetString()!);
            var encoded = PreAuthenticationEncoding(PayloadType, payload);
            foreach (var signature in root.GetProperty("signatures").EnumerateArray())
            {
                if (key.VerifyData(encoded, Convert.FromBase64String(signature.GetProperty("sig").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    return true;
                }
            }
            return false;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The SHA-256 of the key's public part (SubjectPublicKeyInfo, DER), in hex: names the key in the envelope.</summary>
    public static string KeyId(ECDsa key) => Hashing.FileHash.Sha256(key.ExportSubjectPublicKeyInfo());
#endif
}

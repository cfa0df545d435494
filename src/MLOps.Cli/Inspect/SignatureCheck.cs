using System.Security.Cryptography;
using System.Text.Json;
using MLOps.Build.Provenance;

namespace MLOps.Cli.Inspect;

/// <summary>
/// Checks a model's signed provenance with a public key: the DSSE envelope is signed by the key, its in-toto statement's
/// subject is the embedded model (by SHA-256), and the statement carries exactly the provenance embedded beside it.
/// </summary>
public static class SignatureCheck
{
    public static string Verify(EmbeddedProvenance model, ECDsa publicKey)
    {
        if (model.SignedProvenance is not { } envelope)
        {
            return "unsigned";
        }
        if (!ProvenanceSigning.IsSignedBy(envelope, publicKey))
        {
            return "invalid: not signed by this key (or the envelope was altered)";
        }
        using var statement = JsonDocument.Parse(ProvenanceSigning.Payload(envelope)!);
        var root = statement.RootElement;
        var subject = root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString();
        if (subject != model.Provenance.Onnx.Sha256 || model.OnnxMatches == false)
        {
            return $"invalid: the signed statement is about model {subject}, the embedded one is {model.Provenance.Onnx.Sha256}";
        }
        var signedProvenance = root.GetProperty("predicate").GetProperty("buildDefinition").GetProperty("internalParameters").GetRawText();
        if (signedProvenance != System.Text.Encoding.UTF8.GetString(model.ProvenanceBytes))
        {
            return "invalid: the embedded provenance is not the one that was signed";
        }
        return $"valid (key {ProvenanceSigning.KeyId(publicKey)[..12]})";
    }
}

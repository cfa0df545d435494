using MLOps.Build.Diagnostics;
#if NET
using MLOps.Build.IO;
#endif
using MLOps.Build.Provenance;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Provenance;

/// <summary>
/// Signs each model's provenance when the build has a key (<see cref="ProvenanceSigning"/>), and removes a signature
/// left from a build that had one, so that a stale signed statement is never embedded. A statement whose signature by
/// this key is already on disk is not signed again: ECDSA signatures differ on every run, and a new one would make the
/// assembly recompile for nothing.
/// </summary>
public sealed class ProvenanceSigner(string? privateKeyPem, string keyVariable, DiagnosticBag diagnostics)
{
    private bool _reported;

    public void Sign(ProvenanceStatement provenance, string signedPath, FileLocation location)
    {
        if (privateKeyPem is null)
        {
            Delete(signedPath);
            return;
        }
#if NET
        var statement = ProvenanceSigning.Statement(provenance);
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(privateKeyPem);
            if (File.Exists(signedPath) && File.ReadAllBytes(signedPath) is var existing
                && ProvenanceSigning.Payload(existing) is { } payload && payload.AsSpan().SequenceEqual(statement)
                && ProvenanceSigning.IsSignedBy(existing, key))
            {
                return;
            }
            AtomicFile.WriteAllBytes(signedPath, ProvenanceSigning.Sign(statement, privateKeyPem));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            Delete(signedPath);
            if (!_reported)
            {
                _reported = true;
                // The exception's message names the problem (no PEM, wrong curve); the key itself is never repeated.
                diagnostics.Add(D.SigningKeyUnreadable, location,
                    $"The provenance signing key in the environment variable '{keyVariable}' cannot be used: {ex.Message.Trim()} It must be an ECDSA P-256 private key in PEM.");
            }
        }
#else
        Delete(signedPath);
        if (!_reported)
        {
            _reported = true;
            diagnostics.Add(D.SigningUnsupported, location,
                $"'{keyVariable}' holds a provenance signing key, but this MSBuild (.NET Framework) cannot read PEM keys: the provenance is embedded unsigned. Sign with dotnet build.");
        }
#endif
    }

    private static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

using MLOps.Build.Testing;
using System.Security.Cryptography;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Provenance;
using MLOps.Build.Tasks.Provenance;

namespace MLOps.Build.Tests.Provenance;

/// <summary>The build's signing step: signs once per statement, never leaves a stale signature, and never repeats a bad key.</summary>
public sealed class ProvenanceSignerTests : IDisposable
{
    private static readonly string RepositoryRoot = TestRepository.Root;

    private readonly string _folder = Directory.CreateTempSubdirectory("mlops-sign-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ProvenanceStatement Churn() =>
        ArtifactJson.Read(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", "ChurnModel", "provenance.json"), ArtifactJson.Provenance);

    [Fact]
    public void A_statement_is_signed_once_and_signed_again_only_when_it_changes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(_folder, "provenance.intoto.json");
        var diagnostics = new DiagnosticBag();
        var signer = new ProvenanceSigner(key.ExportPkcs8PrivateKeyPem(), "MLOPS_PROVENANCE_KEY", diagnostics);

        signer.Sign(Churn(), path, FileLocation.File("M.mlmodel.json"));
        var first = File.ReadAllBytes(path);
        signer.Sign(Churn(), path, FileLocation.File("M.mlmodel.json"));

        Assert.Empty(diagnostics.Items);
        Assert.Equal(first, File.ReadAllBytes(path)); // ECDSA signs differently each time: an unchanged statement is not signed again
        Assert.True(ProvenanceSigning.IsSignedBy(first, key));
        signer.Sign(Churn() with { Commit = new string('f', 40) }, path, FileLocation.File("M.mlmodel.json"));
        Assert.NotEqual(first, File.ReadAllBytes(path));

        new ProvenanceSigner(null, "MLOPS_PROVENANCE_KEY", diagnostics).Sign(Churn(), path, FileLocation.File("M.mlmodel.json"));
        Assert.False(File.Exists(path)); // no key now: no stale signed statement left to embed
    }

    [Fact]
    public void A_key_that_cannot_be_used_is_MLOPS3013_once_without_repeating_it()
    {
        var secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n-----END PRIVATE KEY-----";
        var path = Path.Combine(_folder, "provenance.intoto.json");
        File.WriteAllText(path, "stale");
        var diagnostics = new DiagnosticBag();
        var signer = new ProvenanceSigner(secret, "SIGNING_KEY", diagnostics);

        signer.Sign(Churn(), path, FileLocation.File("A.mlmodel.json"));
        signer.Sign(Churn() with { Name = "Other" }, path, FileLocation.File("B.mlmodel.json"));

        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("MLOPS3013", error.Id);
        Assert.Contains("'SIGNING_KEY'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.ToCanonicalString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}

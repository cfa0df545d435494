using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Provenance;
using MLOps.Cli.Inspect;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>Signed provenance: DSSE as its specification defines it, an in-toto statement about the embedded model, and the check inspect runs.</summary>
public sealed class ProvenanceSigningTests
{
    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Fixtures", "Models", "ChurnModel", "provenance.json");

    private static ProvenanceStatement Fixture => ArtifactJson.Deserialize(File.ReadAllBytes(FixturePath), ArtifactJson.Provenance);

    private static (string PrivatePem, ECDsa PublicKey) NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pub = ECDsa.Create();
        pub.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        return (key.ExportPkcs8PrivateKeyPem(), pub);
    }

    private static EmbeddedProvenance Embedded(byte[]? envelope) =>
        new("App.dll", "ChurnModel", Fixture, true) { ProvenanceBytes = File.ReadAllBytes(FixturePath), SignedProvenance = envelope };

    [Fact]
    public void The_pre_authentication_encoding_is_the_one_the_DSSE_specification_gives()
    {
        var encoded = ProvenanceSigning.PreAuthenticationEncoding("http://example.com/HelloWorld", Encoding.UTF8.GetBytes("hello world"));

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(encoded));
    }

    [Fact]
    public void The_statement_is_an_in_toto_statement_about_the_embedded_model_with_slsa_provenance()
    {
        using var statement = JsonDocument.Parse(ProvenanceSigning.Statement(Fixture));
        var root = statement.RootElement;

        Assert.Equal(("https://in-toto.io/Statement/v1", "https://slsa.dev/provenance/v1"), (root.GetProperty("_type").GetString(), root.GetProperty("predicateType").GetString()));
        Assert.Equal(("MLOps.Models.ChurnModel.onnx", Fixture.Onnx.Sha256), (root.GetProperty("subject")[0].GetProperty("name").GetString(), root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString()));
        var dependencies = root.GetProperty("predicate").GetProperty("buildDefinition").GetProperty("resolvedDependencies").EnumerateArray()
            .Select(d => (d.GetProperty("name").GetString(), d.GetProperty("digest").GetProperty("sha256").GetString())).ToList();
        Assert.Equal([("manifest", Fixture.Manifest.Sha256), ("data.train", Fixture.Data[0].Sha256)], dependencies);
        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(FixturePath)), root.GetProperty("predicate").GetProperty("buildDefinition").GetProperty("internalParameters").GetRawText());
    }

    [Fact]
    public void A_signature_is_valid_for_its_key_only_and_any_change_breaks_it()
    {
        var (privatePem, publicKey) = NewKey();
        var (_, otherKey) = NewKey();
        var envelope = ProvenanceSigning.Sign(ProvenanceSigning.Statement(Fixture), privatePem);

        Assert.StartsWith("valid (key ", SignatureCheck.Verify(Embedded(envelope), publicKey), StringComparison.Ordinal);
        Assert.Equal("invalid: not signed by this key (or the envelope was altered)", SignatureCheck.Verify(Embedded(envelope), otherKey));
        Assert.Equal("unsigned", SignatureCheck.Verify(Embedded(null), publicKey));

        // A statement about another model, re-encoded into the envelope with the old signature: refused.
        var node = System.Text.Json.Nodes.JsonNode.Parse(envelope)!;
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(node["payload"]!.GetValue<string>()));
        Assert.Contains(Fixture.Onnx.Sha256, payload, StringComparison.Ordinal);
        node["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace(Fixture.Onnx.Sha256, new string('0', 64), StringComparison.Ordinal)));
        var forged = node.ToJsonString();
        Assert.StartsWith("invalid", SignatureCheck.Verify(Embedded(Encoding.UTF8.GetBytes(forged)), publicKey), StringComparison.Ordinal);

        // A validly signed statement, but the provenance embedded beside it was edited afterwards.
        var edited = Embedded(envelope) with { ProvenanceBytes = Encoding.UTF8.GetBytes(File.ReadAllText(FixturePath).Replace("Grace", "Mallory", StringComparison.Ordinal)) };
        Assert.Equal("invalid: the embedded provenance is not the one that was signed", SignatureCheck.Verify(edited, publicKey));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<CryptographicException>(() => ProvenanceSigning.Sign(ProvenanceSigning.Statement(Fixture), key.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
        Assert.NotNull(ChurnModel.Provenance); // the fixture the statements are built from is the embedded one
    }
}

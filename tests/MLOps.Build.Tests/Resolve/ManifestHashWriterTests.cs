using System.Text;
using MLOps.Build.Locking;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

public sealed class ManifestHashWriterTests
{
    private static readonly string Hash = new('c', 64);

    private static string Rewrite(string json)
    {
        var manifest = Manifests.Parse(json).Manifest!;
        return Encoding.UTF8.GetString(ManifestHashWriter.Rewrite(manifest, manifest.DataFiles.ToDictionary(f => f, _ => Hash)));
    }

    [Fact]
    public void Replaces_existing_hashes_and_nothing_else()
    {
        var expected = Manifests.Valid.Replace(new string('0', 64), Hash)
            .Replace("\"test\": \"data/test.csv\"", $"\"test\": {{ \"path\": \"data/test.csv\", \"sha256\": \"{Hash}\" }}")
            .Replace("\"current\": \"data/recent.csv\"", $"\"current\": {{ \"path\": \"data/recent.csv\", \"sha256\": \"{Hash}\" }}");
        Assert.Equal(expected, Rewrite(Manifests.Valid));
    }

    [Fact]
    public void Adds_a_hash_to_a_multi_line_object_on_its_own_line()
    {
        const string json = "{\n  \"name\": \"M\", \"task\": \"regression\", \"label\": \"y\", \"trainer\": \"Sdca\",\n  \"data\": {\n    \"train\": {\n      \"path\": \"t.csv\"\n    }\n  }\n}";
        Assert.Equal(json.Replace("\"path\": \"t.csv\"", $"\"path\": \"t.csv\",\n      \"sha256\": \"{Hash}\""), Rewrite(json));
    }

    [Fact]
    public void Keeps_a_byte_order_mark()
    {
        var manifest = Manifests.Parse("\uFEFF" + Manifests.Valid).Manifest!;
        var bytes = ManifestHashWriter.Rewrite(manifest, manifest.DataFiles.ToDictionary(f => f, _ => Hash));
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
    }
}

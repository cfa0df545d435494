using MLOps.Build.Fingerprints;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

public sealed class FingerprintTests
{
    private static readonly Dictionary<string, string> Hashes = new() { ["data.train"] = new string('1', 64) };

    private static string Of(string json, Dictionary<string, string>? hashes = null, string tool = "1.0") =>
        ModelFingerprint.Compute(Manifests.Parse(json).Manifest!, hashes ?? Hashes, tool);

    [Fact]
    public void Formatting_key_order_gates_and_drift_do_not_change_it()
    {
        var baseline = Of(Manifests.Valid);

        Assert.Equal(baseline, Of(Manifests.Valid.Replace("\n", "\n  ").Replace("  \"seed\": 7,", "  // pinned seed\n  \"seed\": 7,")));
        Assert.Equal(baseline, Of(Manifests.Valid.Replace("\"min\": 0.9", "\"min\": 0.95")));
        Assert.Equal(baseline, Of(Manifests.Valid.Replace("\"method\": \"auto\"", "\"method\": \"psi\"")));
        Assert.Equal(baseline, Of(Manifests.Valid.Replace("\"version\": \"2.1.0\",", "\"version\": \"2.2.0\",")));
    }

    [Fact]
    public void Pinning_a_data_file_does_not_change_it()
    {
        var pinned = Of(Manifests.Valid);

        Assert.Equal(pinned, Of(Manifests.Valid.Replace("{ \"path\": \"data/train.csv\", \"sha256\": \"" + new string('0', 64) + "\" }", "\"data/train.csv\"")));
        Assert.Equal(pinned, Of(Manifests.Valid.Replace("\"sha256\": \"" + new string('0', 64) + "\"", "\"sha256\": \"" + new string('f', 64) + "\"")));
        Assert.NotEqual(pinned, Of(Manifests.Valid.Replace("\"data/train.csv\"", "\"data/other.csv\"")));
    }

    [Fact]
    public void Training_inputs_change_it()
    {
        var baseline = Of(Manifests.Valid);

        Assert.NotEqual(baseline, Of(Manifests.Valid.Replace("\"NumberOfLeaves\": 15", "\"NumberOfLeaves\": 16")));
        Assert.NotEqual(baseline, Of(Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 8")));
        Assert.NotEqual(baseline, Of(Manifests.Valid, new Dictionary<string, string> { ["data.train"] = new string('2', 64) }));
        Assert.NotEqual(baseline, Of(Manifests.Valid, tool: "1.1"));
    }
}

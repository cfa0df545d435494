using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Manifest;

/// <summary>The manifest's <c>drift</c> section: defaults, per-feature settings, and located errors.</summary>
public sealed class DriftSectionTests
{
    private static string With(string drift) => Manifests.Valid.Replace("""
          "drift": { "current": "data/recent.csv", "method": "auto" }
        """.Trim(), "\"drift\": " + drift);

    [Fact]
    public void Defaults_are_auto_and_a_share_of_one_half()
    {
        var (manifest, diagnostics) = Manifests.Parse(With("""{ "current": "data/recent.csv" }"""));

        Assert.Empty(diagnostics);
        Assert.Equal(("auto", null, 0.5), (manifest!.Drift!.Method, manifest.Drift.Threshold, manifest.Drift.Share));
        Assert.Empty(manifest.Drift.Features);
    }

    [Fact]
    public void Per_feature_methods_and_thresholds_parse_in_both_forms()
    {
        var (manifest, diagnostics) = Manifests.Parse(With("""
            { "current": "data/recent.csv", "method": "psi", "threshold": 0.2, "share": 0.3,
              "features": { "island": "jensenshannon", "Body Mass (g)": { "method": "ks", "threshold": 0.01 }, "bill": { "threshold": 0.5 } } }
            """));

        Assert.Empty(diagnostics);
        var drift = manifest!.Drift!;
        Assert.Equal(("psi", 0.2, 0.3), (drift.Method, drift.Threshold!.Value, drift.Share));
        Assert.Equal([("island", "jensenshannon", null), ("Body Mass (g)", "ks", 0.01), ("bill", null, 0.5)],
            drift.Features.Select(f => (f.Name, f.Method, f.Threshold)));
        Assert.Equal((16, 17), (drift.Features[0].Location.Line, drift.Features[0].Location.Column));
    }

    [Fact]
    public void Unknown_methods_keys_and_out_of_range_shares_are_located_errors()
    {
        var (_, diagnostics) = Manifests.Parse(With("""
            { "current": "data/recent.csv", "method": "kstest", "share": 2, "windowDays": 7,
              "features": { "island": "chisquar", "Body Mass (g)": 3 } }
            """));

        Assert.Equal(
            [("MLOPS1010", 15, 76), ("MLOPS1011", 15, 54), ("MLOPS1011", 15, 73), ("MLOPS1011", 16, 27), ("MLOPS1004", 16, 56)],
            diagnostics.Select(d => (d.Id, d.Location.Line, d.Location.Column)));
        Assert.Contains("Unknown drift method 'kstest'; expected one of auto, psi, ks, wasserstein, chisquare, jensenshannon, linf.", diagnostics[1].Message);
        Assert.Contains("Did you mean 'chisquare'?", diagnostics[3].Message);
    }
}

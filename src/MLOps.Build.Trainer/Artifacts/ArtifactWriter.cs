using MLOps.Build.Artifacts;
using MLOps.Build.IO;

namespace MLOps.Build.Trainer.Artifacts;

/// <summary>
/// Writes each artifact atomically, and the fingerprint stamp last: a build killed half-way leaves no stamp,
/// so the next build trains again instead of trusting a partial model.
/// </summary>
public static class ArtifactWriter
{
    public static void Write(string directory, byte[] onnx, ModelCard card, string fingerprint, SweepReport? sweep = null, ModelComparison? comparison = null)
    {
        Directory.CreateDirectory(directory);
        var comparisonPath = Path.Combine(directory, ArtifactNames.Comparison);
        if (comparison is not null)
        {
            ArtifactJson.Write(comparisonPath, comparison, ArtifactJson.ModelComparison);
        }
        else if (File.Exists(comparisonPath))
        {
            // Of an earlier model: it names its fingerprints, but a reader should not have to find it stale.
            File.Delete(comparisonPath);
        }
        var sweepPath = Path.Combine(directory, ArtifactNames.SweepReport);
        if (sweep is not null)
        {
            ArtifactJson.Write(sweepPath, sweep, ArtifactJson.SweepReport);
        }
        else if (File.Exists(sweepPath))
        {
            // Left by an earlier sweep of this model: the report must not show it beside a hand-set trainer.
            File.Delete(sweepPath);
        }
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.Onnx), onnx);
        ArtifactJson.Write(Path.Combine(directory, ArtifactNames.Metrics), card.Metrics, ArtifactJson.Metrics);
        ArtifactJson.Write(Path.Combine(directory, ArtifactNames.ModelCard), card, ArtifactJson.ModelCard);
        AtomicFile.WriteAllBytes(Path.Combine(directory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
    }
}

namespace MLOps.Build.IO;

/// <summary>
/// Whether a model's artifacts are complete for a fingerprint: the one rule the build's up-to-date check, the trainer's
/// crash safety (stamp removed before training) and <c>dotnet mlops status</c> share.
/// </summary>
public static class ModelArtifacts
{
    private static readonly string[] Required = [ArtifactNames.Onnx, ArtifactNames.ModelCard, ArtifactNames.Metrics];

    /// <summary>True when the trainer completed for exactly this fingerprint.</summary>
    public static bool AreCurrent(string directory, string fingerprint)
    {
        var stamp = Path.Combine(directory, ArtifactNames.Fingerprint);
        return File.Exists(stamp)
            && File.ReadAllText(stamp).Trim() == fingerprint
            && Required.All(name => File.Exists(Path.Combine(directory, name)));
    }

    /// <summary>Before training: drop the stamp so that a killed trainer leaves nothing that looks complete.</summary>
    public static void Invalidate(string directory)
    {
        var stamp = Path.Combine(directory, ArtifactNames.Fingerprint);
        if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }
    }
}

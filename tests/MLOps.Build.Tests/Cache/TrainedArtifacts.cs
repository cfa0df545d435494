using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Cache;

/// <summary>A trained model's artifacts folder as the caches see it: the three cached files and the fingerprint stamp.</summary>
internal static class TrainedArtifacts
{
    public static string Write(TempRepository repo, string name, string fingerprint, string onnx = "onnx-bytes")
    {
        repo.Write($"{name}/model.onnx", onnx);
        repo.Write($"{name}/modelcard.json", "{}");
        repo.Write($"{name}/metrics.json", "{\"Accuracy\":0.9}");
        repo.Write($"{name}/fingerprint.txt", fingerprint + "\n");
        return Path.Combine(repo.Root, name);
    }
}

using MLOps.Build.Artifacts;
using MLOps.Build.Caching;
using MLOps.Build.Hashing;
using MLOps.Build.IO;

namespace MLOps.Build.Tasks.Train;

/// <summary>
/// Puts the accepted model (the lock file's) where the trainer compares the new model with it on the same test rows:
/// <c>&lt;artifacts&gt;/accepted/</c>, its ONNX file and card. Taken from the artifacts folder while that still holds it,
/// else from a cache entry under the lock's fingerprint (the cache folder, then the remote cache). Only a file whose SHA-256 is the lock's is used: the comparison is with the accepted model or none.
/// </summary>
public static class AcceptedModelFolder
{
    private static readonly string[] Files = [ArtifactNames.Onnx, ArtifactNames.ModelCard];

    /// <summary>The lock file's model when there is one and it is not the model about to be trained; null otherwise.</summary>
    public static ModelLock? AcceptedOtherThan(string manifestPath, string fingerprint) =>
        // An unreadable lock is the validation step's to report (MLOPS3010); without one there is nothing to compare with.
        ArtifactJson.ReadOrNull(ModelLock.PathFor(manifestPath), ArtifactJson.ModelLock) is { } accepted && accepted.Fingerprint != fingerprint ? accepted : null;

    /// <summary>
    /// Before anything replaces the artifacts: keeps the accepted model's files when the artifacts are still the
    /// accepted model (the usual case: the model being replaced is the one last built and accepted).
    /// </summary>
    public static void KeepFromArtifacts(ModelLock accepted, string artifactsDirectory) => Guarded(() =>
    {
        var folder = Path.Combine(artifactsDirectory, ArtifactNames.Accepted);
        // The accepted model is its bytes (the lock's modelSha256), not a fingerprint: a newer tool that retrains to the
        // same bytes leaves artifacts with another fingerprint that are still the accepted model.
        if (!IsAccepted(folder, accepted) && IsAccepted(artifactsDirectory, accepted) && File.Exists(Path.Combine(artifactsDirectory, ArtifactNames.Fingerprint)))
        {
            Write(folder, Files.ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(artifactsDirectory, name))));
        }
        return folder;
    });

    /// <summary>
    /// Before training: the folder with the accepted model, taken from the first of <paramref name="entries"/> that has
    /// it unless it is there already; null when no store has it.
    /// </summary>
    public static string? Prepare(ModelLock accepted, string artifactsDirectory, params Func<IReadOnlyDictionary<string, byte[]>?>[] entries) => Guarded(() =>
    {
        var folder = Path.Combine(artifactsDirectory, ArtifactNames.Accepted);
        foreach (var entry in entries)
        {
            if (IsAccepted(folder, accepted))
            {
                break;
            }
            if (entry() is { } contents)
            {
                Write(folder, contents);
            }
        }
        return IsAccepted(folder, accepted) ? folder : null;
    });

    // Comparing is a report's detail: a folder that cannot be written leaves the gates with the lock's metrics.
    private static string? Guarded(Func<string?> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The files of the accepted model in a store's entry under its fingerprint, verified by the store.</summary>
    public static Func<IReadOnlyDictionary<string, byte[]>?> From(IEntryStore store, ModelLock accepted) =>
        () => store.TryGet(accepted.Fingerprint, Files, out var contents, out _) == StoreResult.Done ? contents : null;

    /// <summary>The same files from a remote cache session (which reports a server it cannot use).</summary>
    internal static Func<IReadOnlyDictionary<string, byte[]>?> From(Cache.RemoteCacheSession remote, ModelLock accepted, Diagnostics.FileLocation location) =>
        () => remote.TryGet(accepted.Fingerprint, Files, location);

    private static bool IsAccepted(string folder, ModelLock accepted)
    {
        var onnx = Path.Combine(folder, ArtifactNames.Onnx);
        return File.Exists(onnx) && File.Exists(Path.Combine(folder, ArtifactNames.ModelCard)) && FileHash.Sha256(onnx) == accepted.ModelSha256;
    }

    private static void Write(string folder, IReadOnlyDictionary<string, byte[]> contents)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in Files)
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder, name), contents[name]);
        }
    }
}

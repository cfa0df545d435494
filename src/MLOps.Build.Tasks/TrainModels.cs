using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.Tasks.Cache;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Resolve;
using MLOps.Build.Tasks.Train;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks;

/// <summary>
/// Trains every resolved model whose artifacts do not match its fingerprint. The trainer writes the
/// fingerprint file last, so artifacts left by a killed build are never trusted.
/// </summary>
public sealed class TrainModels : TrainerTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    /// <summary>The shared artifact cache folder; empty disables the cache.</summary>
    public string? CacheDirectory { get; set; }

    [Output] public ITaskItem[] TrainedModels { get; private set; } = [];

    public override bool Execute()
    {
        var trained = new List<ITaskItem>();
        foreach (var model in Models)
        {
            if (Canceled)
            {
                break;
            }
            var fingerprint = model.GetMetadata("Fingerprint");
            var directory = model.GetMetadata("ArtifactsDirectory");
            if (ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                // Reported as up to date by ResolveModels.
                continue;
            }
            ModelArtifacts.Invalidate(directory);
            var cache = string.IsNullOrWhiteSpace(CacheDirectory) ? null : new ArtifactCache(CacheDirectory!);
            if (cache is not null && Restore(cache, model, fingerprint, directory))
            {
                trained.Add(model);
                continue;
            }
            // A failed run has reported why; a "successful" one that left incomplete artifacts has not.
            if (!RunTrainer(model, "train", fingerprint))
            {
                continue;
            }
            if (ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                trained.Add(model);
                cache?.TryPublish(fingerprint, directory);
            }
            else
            {
                Log.Log(new MLOpsDiagnostic(D.TrainerCrashed, FileLocation.File(model.ItemSpec),
                    "The trainer finished without writing complete artifacts."));
            }
        }
        TrainedModels = [.. trained];
        return !Log.HasLoggedErrors;
    }

    private bool Restore(ArtifactCache cache, ITaskItem model, string fingerprint, string directory)
    {
        var location = FileLocation.File(model.ItemSpec);
        switch (cache.TryRestore(fingerprint, directory, out var problem))
        {
            case CacheRestore.Restored:
                Log.Log(new MLOpsDiagnostic(D.RestoredFromCache, location,
                    $"{model.GetMetadata("ModelName")} restored from the artifact cache ({cache.EntryDirectory(fingerprint)}); nothing to train."));
                return true;
            case CacheRestore.Corrupt:
                Log.Log(new MLOpsDiagnostic(D.CorruptCacheEntry, location,
                    $"The cached artifacts of {model.GetMetadata("ModelName")} in '{cache.EntryDirectory(fingerprint)}' are damaged ({problem}); the entry was discarded and the model is trained again."));
                return false;
            default:
                return false;
        }
    }
}

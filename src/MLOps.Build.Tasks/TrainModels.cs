using Microsoft.Build.Framework;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Git;
using MLOps.Build.IO;
using MLOps.Build.Tasks.Cache;
using MLOps.Build.Tasks.Logging;
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

    /// <summary>Where each model's run history is appended; empty: no history.</summary>
    public string? RunsDirectory { get; set; }


    /// <summary>"i/n": run only that shard of each sweep's trials, train no model (a CI matrix job); empty: everything.</summary>
    public string? SweepShard { get; set; }

    /// <summary>Train only this model (<c>MLOpsTrainOnly</c>, <c>dotnet mlops train --model</c>); empty: every stale model.</summary>
    public string? OnlyModel { get; set; }

    /// <summary>Sweep trials run at once; 0 (the default): one per core.</summary>
    public int SweepParallelism { get; set; }

    [Output] public ITaskItem[] TrainedModels { get; private set; } = [];

    protected override bool ExecuteCore()
    {
        if (!string.IsNullOrWhiteSpace(SweepShard) && Manifest.SweepShard.Parse(SweepShard!.Trim()) is null)
        {
            Log.Log(new MLOpsDiagnostic(D.InvalidValue, default, $"MLOpsSweepShard '{SweepShard}' is not i/n with 1 ≤ i ≤ n (for example 2/4)."));
            return false;
        }
        using var remote = RemoteCacheSession.Create(RemoteCache, RemoteCacheWrite, RemoteCacheTimeout, RemoteCacheTokenVariable, Log);
        var cache = string.IsNullOrWhiteSpace(CacheDirectory) ? null : new Caching.FolderEntryStore(CacheDirectory!);
        var trained = new List<ITaskItem>();
        foreach (var model in Models)
        {
            if (Canceled)
            {
                break;
            }
            if (!string.IsNullOrWhiteSpace(OnlyModel) && model.GetMetadata(ModelItemMetadata.ModelName) != OnlyModel)
            {
                continue;
            }
            var fingerprint = model.GetMetadata(ModelItemMetadata.Fingerprint);
            var directory = model.GetMetadata(ModelItemMetadata.ArtifactsDirectory);
            if (ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                // Reported as up to date by ResolveModels.
                continue;
            }
            var accepted = AcceptedModelFolder.AcceptedOtherThan(model.ItemSpec, fingerprint);
            if (accepted is not null)
            {
                AcceptedModelFolder.KeepFromArtifacts(accepted, directory);
            }
            ModelArtifacts.Invalidate(directory);
            if (cache is not null && Restore(cache, model, fingerprint, directory))
            {
                trained.Add(model);
                continue;
            }
            if (remote?.TryRestore(model, fingerprint, directory) == true)
            {
                trained.Add(model);
                // The next clone on this machine finds it locally.
                Publish(cache, fingerprint, directory);
                continue;
            }
            var acceptedFolder = accepted is null ? null : AcceptedModelFolder.Prepare(accepted, directory,
                cache is null ? () => null : AcceptedModelFolder.From(cache, accepted),
                remote is null ? () => null : AcceptedModelFolder.From(remote, accepted, FileLocation.File(model.ItemSpec)));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // A failed run has reported why; a "successful" one that left incomplete artifacts has not.
            if (!RunTrainer(model, "train", fingerprint, launch => launch with
                {
                    TrialCacheDirectory = cache is null ? null : Path.Combine(cache.Root, ArtifactNames.Trials),
                    Parallelism = SweepParallelism,
                    RemoteCache = remote is null ? null : RemoteCacheSettings,
                    SweepShard = string.IsNullOrWhiteSpace(SweepShard) ? null : SweepShard!.Trim(),
                    AcceptedDirectory = acceptedFolder,
                    RunHistoryPath = string.IsNullOrWhiteSpace(RunsDirectory) ? null
                        : RunHistory.PathFor(RunsDirectory!, model.GetMetadata(ModelItemMetadata.RepositoryRoot), model.GetMetadata(ModelItemMetadata.ModelName)),
                }))
            {
                continue;
            }
            if (!string.IsNullOrWhiteSpace(SweepShard) && !ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                // A sweep's shard trains no model (MLOPS2024 said what it ran); the assembling build does.
                continue;
            }
            if (ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                trained.Add(model);
                Publish(cache, fingerprint, directory);
                remote?.TryUpload(model, fingerprint, directory);
                RecordRun(model, directory, fingerprint, clock.Elapsed);
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

    /// <summary>Appends the run to the model's history; a history that cannot be written never fails the build.</summary>
    private void RecordRun(ITaskItem model, string directory, string fingerprint, TimeSpan duration)
    {
        if (string.IsNullOrWhiteSpace(RunsDirectory))
        {
            return;
        }
        try
        {
            var card = ArtifactJson.Read(Path.Combine(directory, ArtifactNames.ModelCard), ArtifactJson.ModelCard);
            var repository = model.GetMetadata(ModelItemMetadata.RepositoryRoot);
            var record = new RunRecord(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                GitHead.Commit(repository), card.Name, fingerprint, card.Onnx.Sha256, card.Trainer?.Name ?? "", card.Trainer?.Options ?? new Dictionary<string, object?>(),
                card.Trainer?.Seed ?? 0, ModelLock.FromCard(card.Name, card, fingerprint).Data, card.Metrics, Math.Round(duration.TotalSeconds, 3), card.Tool.Version, card.Sweep);
            RunHistory.Append(RunHistory.PathFor(RunsDirectory!, repository, card.Name), record);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Log.Log(new MLOpsDiagnostic(D.RunHistoryNotWritten, FileLocation.File(model.ItemSpec),
                $"The run history of {model.GetMetadata(ModelItemMetadata.ModelName)} was not written: {ex.Message}"));
        }
    }

    /// <summary>Publishes to the local cache; a read-only or full cache folder costs a retrain elsewhere, never this build.</summary>
    private static void Publish(Caching.FolderEntryStore? cache, string fingerprint, string directory)
    {
        if (cache is not null)
        {
            Caching.ArtifactEntries.Publish(cache, fingerprint, directory, out _);
        }
    }

    private bool Restore(Caching.FolderEntryStore cache, ITaskItem model, string fingerprint, string directory)
    {
        var location = FileLocation.File(model.ItemSpec);
        switch (Caching.ArtifactEntries.Restore(cache, fingerprint, directory, out var problem))
        {
            case Caching.StoreResult.Done:
                Log.Log(new MLOpsDiagnostic(D.RestoredFromCache, location,
                    $"{model.GetMetadata(ModelItemMetadata.ModelName)} restored from the artifact cache ({cache.EntryDirectory(fingerprint)}); nothing to train."));
                return true;
            case Caching.StoreResult.Damaged:
                Log.Log(new MLOpsDiagnostic(D.CorruptCacheEntry, location,
                    $"The cached artifacts of {model.GetMetadata(ModelItemMetadata.ModelName)} in '{cache.EntryDirectory(fingerprint)}' are damaged ({problem}); the entry was discarded and the model is trained again."));
                return false;
            default:
                return false;
        }
    }
}

using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Caching;
using MLOps.Build.IO;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Cache;

/// <summary>
/// The remote cache for one build: restores before training, uploads after it when allowed, and reports each outcome
/// with a code. The first problem with the server is one warning (MLOPS2031) and the remote cache is off for the rest
/// of the build (<see cref="CircuitBreakerStore"/>).
/// </summary>
internal sealed class RemoteCacheSession : IDisposable
{
    private readonly HttpEntryStore _server;
    private readonly CircuitBreakerStore _store;
    private readonly Microsoft.Build.Utilities.TaskLoggingHelper _log;

    private RemoteCacheSession(HttpEntryStore server, bool write, Microsoft.Build.Utilities.TaskLoggingHelper log)
    {
        _server = server;
        _store = new CircuitBreakerStore(server, write);
        _log = log;
    }

    /// <summary>Null when no remote cache is configured, or its URL is not an http(s) URL (reported).</summary>
    public static RemoteCacheSession? Create(string? url, bool write, int timeoutSeconds, string? tokenVariable, Microsoft.Build.Utilities.TaskLoggingHelper log)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (!Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            log.Log(new MLOpsDiagnostic(D.RemoteCacheUnavailable, default,
                $"MLOpsRemoteCache '{url}' is not an http:// or https:// URL; the remote cache is off for this build."));
            return null;
        }
        var token = string.IsNullOrWhiteSpace(tokenVariable) ? null : Environment.GetEnvironmentVariable(tokenVariable!);
        return new RemoteCacheSession(new HttpEntryStore(root, token, TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds))), write, log);
    }

    /// <summary>Whether the model's artifacts came from the server (verified).</summary>
    public bool TryRestore(ITaskItem model, string fingerprint, string directory)
    {
        var location = FileLocation.File(model.ItemSpec);
        switch (ArtifactEntries.Restore(_store, fingerprint, directory, out var problem))
        {
            case StoreResult.Done:
                _log.Log(new MLOpsDiagnostic(D.RestoredFromRemoteCache, location,
                    $"{model.GetMetadata(ModelItemMetadata.ModelName)} restored from the remote cache ({_server.ActionUri(fingerprint)}); nothing to train."));
                return true;
            case StoreResult.Damaged:
                ModelArtifacts.Invalidate(directory);
                _log.Log(new MLOpsDiagnostic(D.DamagedRemoteCacheEntry, location,
                    $"The remote cache entry of {model.GetMetadata(ModelItemMetadata.ModelName)} is damaged ({problem}); it is ignored and the model is trained."));
                return false;
            case StoreResult.Unavailable:
                ReportUnavailable(location, problem);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Some files of a model's entry (the accepted model's, to compare with); a server that cannot be used is reported once, as for a restore.</summary>
    public IReadOnlyDictionary<string, byte[]>? TryGet(string fingerprint, IReadOnlyList<string> names, FileLocation location)
    {
        var status = _store.TryGet(fingerprint, names, out var contents, out var problem);
        if (status == StoreResult.Unavailable)
        {
            ReportUnavailable(location, problem);
        }
        return status == StoreResult.Done ? contents : null;
    }

    /// <summary>Uploads what was just trained, when this build may write.</summary>
    public void TryUpload(ITaskItem model, string fingerprint, string directory)
    {
        var location = FileLocation.File(model.ItemSpec);
        switch (ArtifactEntries.Publish(_store, fingerprint, directory, out var problem))
        {
            case StoreResult.Done:
                _log.Log(new MLOpsDiagnostic(D.UploadedToRemoteCache, location,
                    $"{model.GetMetadata(ModelItemMetadata.ModelName)} uploaded to the remote cache ({_server.ActionUri(fingerprint)})."));
                break;
            case StoreResult.Unavailable:
                ReportUnavailable(location, problem);
                break;
        }
    }

    public void Dispose() => _store.Dispose();

    private void ReportUnavailable(FileLocation location, string? problem) =>
        _log.Log(new MLOpsDiagnostic(D.RemoteCacheUnavailable, location,
            $"The remote cache {_server.Root} cannot be used ({problem}); it is off for the rest of this build, which goes on without it."));
}

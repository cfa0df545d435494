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
/// of the build, as Gradle does: a cache must never fail a build, nor slow every model of it down by a timeout.
/// </summary>
internal sealed class RemoteCacheSession : IDisposable
{
    private readonly RemoteArtifactCache _cache;
    private readonly bool _write;
    private readonly Microsoft.Build.Utilities.TaskLoggingHelper _log;
    private bool _off;

    private RemoteCacheSession(RemoteArtifactCache cache, bool write, Microsoft.Build.Utilities.TaskLoggingHelper log)
    {
        _cache = cache;
        _write = write;
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
        return new RemoteCacheSession(new RemoteArtifactCache(root, token, TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds))), write, log);
    }

    /// <summary>Whether the model's artifacts came from the server (verified).</summary>
    public bool TryRestore(ITaskItem model, string fingerprint, string directory)
    {
        if (_off)
        {
            return false;
        }
        var location = FileLocation.File(model.ItemSpec);
        switch (_cache.TryDownload(fingerprint, directory))
        {
            case RemoteResult.Done:
                _log.Log(new MLOpsDiagnostic(D.RestoredFromRemoteCache, location,
                    $"{model.GetMetadata(ModelItemMetadata.ModelName)} restored from the remote cache ({_cache.ActionUri(fingerprint)}); nothing to train."));
                return true;
            case RemoteResult.Damaged:
                ModelArtifacts.Invalidate(directory);
                _log.Log(new MLOpsDiagnostic(D.DamagedRemoteCacheEntry, location,
                    $"The remote cache entry of {model.GetMetadata(ModelItemMetadata.ModelName)} is damaged ({_cache.Problem}); it is ignored and the model is trained."));
                return false;
            case RemoteResult.Unavailable:
                TurnOff(location);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Uploads what was just trained, when this build may write.</summary>
    public void TryUpload(ITaskItem model, string fingerprint, string directory)
    {
        if (_off || !_write)
        {
            return;
        }
        var location = FileLocation.File(model.ItemSpec);
        switch (_cache.TryUpload(fingerprint, directory))
        {
            case RemoteResult.Done:
                _log.Log(new MLOpsDiagnostic(D.UploadedToRemoteCache, location,
                    $"{model.GetMetadata(ModelItemMetadata.ModelName)} uploaded to the remote cache ({_cache.ActionUri(fingerprint)})."));
                break;
            case RemoteResult.Unavailable:
                TurnOff(location);
                break;
        }
    }

    public void Dispose() => _cache.Dispose();

    private void TurnOff(FileLocation location)
    {
        _off = true;
        _log.Log(new MLOpsDiagnostic(D.RemoteCacheUnavailable, location,
            $"The remote cache {_cache.Root} cannot be used ({_cache.Problem}); it is off for the rest of this build, which goes on without it."));
    }
}

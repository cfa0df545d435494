using MLOps.Build.Caching;
using MLOps.Build.Diagnostics;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Sweep trials on the remote cache, so that CI jobs running different shards of one sweep, and the job that
/// assembles them, share their results. Trials are looked up from many threads at once; the first problem with the
/// server is one warning (MLOPS2031) and the remote cache is off for the rest of the run.
/// </summary>
public sealed class RemoteTrials(RemoteArtifactCache cache, bool write, DiagnosticBag diagnostics, FileLocation location) : IDisposable
{
    private readonly object _gate = new();
    private volatile bool _off;

    public byte[]? TryGet(string fingerprint, string name)
    {
        if (_off)
        {
            return null;
        }
        var status = cache.TryDownloadEntry(fingerprint, [name], out var contents, out var problem);
        if (status == RemoteResult.Unavailable)
        {
            TurnOff(problem);
        }
        return status == RemoteResult.Done ? contents![name] : null;
    }

    public void Put(string fingerprint, string name, byte[] bytes)
    {
        if (_off || !write)
        {
            return;
        }
        if (cache.TryUploadEntry(fingerprint, new Dictionary<string, byte[]> { [name] = bytes }, out var problem) == RemoteResult.Unavailable)
        {
            TurnOff(problem);
        }
    }

    public void Dispose() => cache.Dispose();

    private void TurnOff(string? problem)
    {
        lock (_gate)
        {
            if (_off)
            {
                return;
            }
            _off = true;
            diagnostics.Add(D.RemoteCacheUnavailable, location,
                $"The remote cache {cache.Root} cannot be used for sweep trials ({problem}); it is off for the rest of this run, which goes on without it.");
        }
    }
}

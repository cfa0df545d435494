namespace MLOps.Build.Caching;

/// <summary>
/// The remote cache the build hands the trainer (<see cref="Protocol.TrainerArguments.RemoteCache"/>): sweep trials when
/// training, query snapshots when taking them.
/// </summary>
/// <param name="TokenVariable">The environment variable with the bearer token (its value is read only when the cache is opened).</param>
public sealed record RemoteCacheSettings(string Url, bool Write, int TimeoutSeconds = 10, string? TokenVariable = null)
{
    /// <summary>A client for the cache; null when the URL is not an absolute one.</summary>
    public HttpEntryStore? Open()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var root))
        {
            return null;
        }
        var token = string.IsNullOrWhiteSpace(TokenVariable) ? null : Environment.GetEnvironmentVariable(TokenVariable);
        return new HttpEntryStore(root, token, TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds)));
    }
}

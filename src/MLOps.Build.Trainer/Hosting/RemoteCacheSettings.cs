using System.Globalization;
using MLOps.Build.Caching;

namespace MLOps.Build.Trainer.Hosting;

/// <summary>
/// The remote cache the build hands the trainer (<c>--remote-cache</c> and its companions), one reading of the
/// arguments for every command that uses it: sweep trials when training, query snapshots when taking them.
/// </summary>
/// <param name="TokenVariable">The environment variable with the bearer token (its value is read only when the cache is opened).</param>
public sealed record RemoteCacheSettings(string Url, bool Write, int TimeoutSeconds = 10, string? TokenVariable = null)
{
    /// <summary>The settings in the trainer's arguments; null when none names a remote cache.</summary>
    public static RemoteCacheSettings? FromArguments(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("remote-cache", out var url) && !string.IsNullOrWhiteSpace(url)
            ? new RemoteCacheSettings(url,
                options.GetValueOrDefault("remote-cache-write") == "true",
                int.TryParse(options.GetValueOrDefault("remote-cache-timeout"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeout) ? timeout : 10,
                options.GetValueOrDefault("remote-cache-token-variable"))
            : null;

    /// <summary>A client for the cache; null when the URL is not an absolute one.</summary>
    public RemoteArtifactCache? Open()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var root))
        {
            return null;
        }
        var token = string.IsNullOrWhiteSpace(TokenVariable) ? null : Environment.GetEnvironmentVariable(TokenVariable);
        return new RemoteArtifactCache(root, token, TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds)));
    }
}

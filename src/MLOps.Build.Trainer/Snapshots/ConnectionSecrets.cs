using System.Data.Common;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Keeps a connection string's secrets out of what the build shows: a server or driver message that repeats the
/// connection string, or a password from it, has them replaced by "***" before it becomes a diagnostic.
/// </summary>
internal static class ConnectionSecrets
{
    public const string Mask = "***";

    private static readonly string[] SecretKeyParts = ["password", "pwd", "secret", "token", "passphrase", "key"];

    public static string Redact(string message, string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return message;
        }
        var result = message.Replace(connectionString, Mask, StringComparison.Ordinal);
        foreach (var secret in Secrets(connectionString!).OrderByDescending(s => s.Length))
        {
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return result;
    }

    /// <summary>The values of every key that names a secret (Password, Pwd, SSL Password, API key, token …).</summary>
    public static IEnumerable<string> Secrets(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Unreadable as key=value pairs: only the whole string can be masked.
            yield break;
        }
        foreach (string key in builder.Keys)
        {
            if (SecretKeyParts.Any(part => key.Contains(part, StringComparison.OrdinalIgnoreCase))
                && builder[key]?.ToString() is { Length: > 0 } value)
            {
                yield return value;
            }
        }
    }
}

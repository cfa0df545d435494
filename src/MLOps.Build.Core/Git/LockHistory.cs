using System.Globalization;

namespace MLOps.Build.Git;

/// <summary>One commit that changed a lock file: who accepted a model, and when.</summary>
/// <param name="Author">"Name &lt;email&gt;".</param>
/// <param name="At">The author date, ISO 8601 with its offset.</param>
public sealed record LockCommit(string Commit, string Author, string At, string Subject);

/// <summary>The commits that changed a model's lock file (every acceptance), newest first, from git's log.</summary>
public static class LockHistory
{
    private const char Field = '\u001f';
    private const char Record = '\u001e';

    /// <summary>
    /// Every commit that changed <paramref name="lockPath"/> (following renames), newest first; empty when it was never
    /// committed; null when git cannot be run or the folder is not in a git repository.
    /// </summary>
    /// <param name="limit">The most commits to list; 0: all.</param>
    public static IReadOnlyList<LockCommit>? Commits(string repositoryRoot, string lockPath, int limit = 0)
    {
        var arguments = new List<string> { "log", "--follow", "--format=%H%x1f%an <%ae>%x1f%aI%x1f%s%x1e" };
        if (limit > 0)
        {
            arguments.Add("-n");
            arguments.Add(limit.ToString(CultureInfo.InvariantCulture));
        }
        arguments.Add("--");
        arguments.Add(lockPath);
        if (GitProcess.Run(repositoryRoot, [.. arguments]) is not { ExitCode: 0 } log)
        {
            return null;
        }
        var commits = new List<LockCommit>();
        foreach (var entry in log.Output.Split(Record))
        {
            var fields = entry.Trim('\n', '\r').Split(Field);
            if (fields.Length == 4 && fields[0].Length == 40)
            {
                commits.Add(new LockCommit(fields[0], fields[1], fields[2], fields[3]));
            }
        }
        return commits;
    }

    /// <summary>Whether the working tree's lock file differs from the one committed at HEAD (accepted, not committed yet).</summary>
    public static bool IsUncommitted(string repositoryRoot, string lockPath) =>
        GitProcess.Run(repositoryRoot, "status", "--porcelain", "--", lockPath) is { ExitCode: 0 } status && status.Output.Trim().Length > 0;

    /// <summary>The lock file's text at <paramref name="commit"/>; null when it did not exist there.</summary>
    public static string? At(string repositoryRoot, string commit, string relativeLockPath) =>
        GitProcess.Run(repositoryRoot, "show", $"{commit}:{relativeLockPath}") is { ExitCode: 0 } show ? show.Output : null;

    /// <summary>
    /// A lock file's text as committed; null when a merge conflict or a hand edit broke it at that commit (not an
    /// acceptance), as the build treats a damaged lock in the working tree (MLOPS3010).
    /// </summary>
    public static Artifacts.ModelLock? Parse(string text)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(text, Artifacts.ArtifactJson.ModelLock);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

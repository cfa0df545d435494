namespace MLOps.Build.Git;

/// <summary>
/// The commit a repository's HEAD points at, read from the .git folder without running git: a detached HEAD, a
/// branch's loose ref, or its line in packed-refs. Worktrees (.git as a "gitdir:" file) are followed.
/// </summary>
public static class GitHead
{
    /// <summary>The 40-digit commit id, or null outside git or when HEAD has no commit yet.</summary>
    public static string? Commit(string repositoryRoot)
    {
        try
        {
            var gitDirectory = GitDirectory(repositoryRoot);
            if (gitDirectory is null)
            {
                return null;
            }
            var head = File.ReadAllText(Path.Combine(gitDirectory, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal))
            {
                return IsCommit(head) ? head : null;
            }
            var reference = head.Substring(4).Trim();
            // A worktree keeps its HEAD but shares refs with the main repository (commondir).
            var common = File.Exists(Path.Combine(gitDirectory, "commondir"))
                ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(Path.Combine(gitDirectory, "commondir")).Trim()))
                : gitDirectory;
            foreach (var directory in new[] { gitDirectory, common })
            {
                var loose = Path.Combine(directory, reference.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(loose) && File.ReadAllText(loose).Trim() is var id && IsCommit(id))
                {
                    return id;
                }
            }
            var packed = Path.Combine(common, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference && IsCommit(p[0]))?[0]
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? GitDirectory(string root)
    {
        var git = Path.Combine(root, ".git");
        if (Directory.Exists(git))
        {
            return git;
        }
        if (File.Exists(git) && File.ReadAllText(git).Trim() is var text && text.StartsWith("gitdir:", StringComparison.Ordinal))
        {
            return Path.GetFullPath(Path.Combine(root, text.Substring(7).Trim()));
        }
        return null;
    }

    private static bool IsCommit(string text) => text.Length == 40 && text.All(Uri.IsHexDigit);
}

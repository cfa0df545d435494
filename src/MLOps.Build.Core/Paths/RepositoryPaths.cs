namespace MLOps.Build.Paths;

/// <summary>Keeps every path a manifest names inside the repository that holds the project.</summary>
public static class RepositoryPaths
{
    /// <summary>The nearest folder above <paramref name="start"/> holding <c>.git</c> (folder or worktree file); else <paramref name="start"/>.</summary>
    public static string FindRoot(string start)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(start));
        for (var current = directory; current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return current.FullName;
            }
        }
        return directory.FullName;
    }

    public static bool IsInside(string fullPath, string root)
    {
        var normalizedRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return Path.GetFullPath(fullPath).StartsWith(normalizedRoot, comparison);
    }
}

namespace MLOps.Build.Paths;

/// <summary>Keeps every path a manifest names inside the repository that holds the project.</summary>
public static class RepositoryPaths
{
    /// <summary>Links followed in one path before it counts as a loop (Linux's own limit, ELOOP).</summary>
    private const int MaxLinks = 40;

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

    /// <summary>
    /// <paramref name="fullPath"/> relative to <paramref name="root"/> with '/', as records that travel between machines
    /// name files; the full path when it is not below the root.
    /// </summary>
    public static string Relative(string root, string fullPath)
    {
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(fullPath);
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return (full.StartsWith(prefix, comparison) ? full.Substring(prefix.Length) : full).Replace('\\', '/');
    }

    /// <summary>
    /// Whether <paramref name="fullPath"/>, once every symbolic link, junction and <c>..</c> along it is resolved, lies
    /// inside <paramref name="root"/> (itself resolved the same way). The lexical path is not enough: a link inside the
    /// repository may point anywhere. A path whose links cannot be resolved (a loop, or an MSBuild that cannot read
    /// links) is not inside.
    /// </summary>
    public static bool IsInside(string fullPath, string root)
    {
        if (RealPath(root) is not { } realRoot || RealPath(fullPath) is not { } realPath)
        {
            return false;
        }
        var normalizedRoot = realRoot.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return realPath.StartsWith(normalizedRoot, comparison);
    }

    /// <summary>
    /// The path with every link along it followed, like POSIX <c>realpath</c>, except that parts that do not exist yet
    /// are kept as written; null for a loop or a link this runtime cannot read.
    /// </summary>
    public static string? RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string? Resolve(string fullPath, ref int links)
    {
        var parent = Path.GetDirectoryName(fullPath);
        if (parent is null)
        {
            return fullPath; // the file system's root
        }
        var realParent = Resolve(parent, ref links);
        if (realParent is null)
        {
            return null;
        }
        var candidate = Path.Combine(realParent, Path.GetFileName(fullPath));
        if (!IsLink(candidate))
        {
            return candidate;
        }
        if (++links > MaxLinks || LinkTarget(candidate) is not { } target)
        {
            return null;
        }
        return Resolve(Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(realParent, target)), ref links);
    }

    private static bool IsLink(string path)
    {
        try
        {
            // Attributes of the entry itself (lstat on Unix): a dangling link is still a link.
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 || new FileInfo(path) is { Exists: false } && LinkTarget(path) is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return LinkTarget(path) is not null; // cannot be stat'ed (a dangling link, say): follow it if it is a link
        }
    }

#if NET
    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
#else
    // .NET Framework's MSBuild cannot read link targets: a link along a data path is refused rather than trusted.
    private static string? LinkTarget(string path) => null;
#endif
}

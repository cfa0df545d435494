using System.Text;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace MLOps.Build.Manifest;

/// <summary>
/// The files a data entry names. A path is one file, unless it names a folder (its files, not its sub-folders) or
/// holds a wildcard (<c>*</c>, <c>?</c>, <c>**</c> for any folders): then it is a set, as the capture folder of a
/// running service is. Hidden files and folders (a name starting with '.') are never part of a set, so a capture
/// file still being written (<c>.capture-….tmp</c>) is not read half-done.
/// </summary>
/// <param name="IsSet">A folder or a glob, pinned by <see cref="Hash"/> of its files' hashes.</param>
/// <param name="BaseDirectory">The folder a set's names are relative to (the path up to its first wildcard); for one file, its folder.</param>
/// <param name="Files">Full paths, ordered ordinally by <see cref="NameOf"/>; for one file, that file whether it exists or not.</param>
public sealed record DataFileSet(bool IsSet, string BaseDirectory, IReadOnlyList<string> Files)
{
    private static readonly char[] Wildcards = ['*', '?'];

    /// <summary>One file, as a path that names no folder and no wildcard gives.</summary>
    public static DataFileSet Single(string fullPath) => new(false, Path.GetDirectoryName(fullPath)!, [fullPath]);

    public static bool HasWildcard(string relativePath) => relativePath.IndexOfAny(Wildcards) >= 0;

    public static DataFileSet Of(DataFileReference file, string manifestDirectory)
    {
        var relative = file.RelativePath.Replace('\\', '/');
        if (!HasWildcard(relative))
        {
            var fullPath = file.FullPath(manifestDirectory);
            return Directory.Exists(fullPath)
                ? Expand(fullPath, "*")
                : Single(fullPath);
        }
        var segments = relative.Split('/');
        var fixedCount = Array.FindIndex(segments, HasWildcard);
        var baseDirectory = Path.GetFullPath(Path.Combine(manifestDirectory, string.Join("/", segments, 0, fixedCount)));
        return Expand(baseDirectory, string.Join("/", segments, fixedCount, segments.Length - fixedCount));
    }

    private static DataFileSet Expand(string baseDirectory, string pattern)
    {
        var files = new List<string>();
        if (Directory.Exists(baseDirectory))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern);
            matcher.AddExclude("**/.*");
            matcher.AddExclude("**/.*/**");
            foreach (var match in matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(baseDirectory))).Files)
            {
                files.Add(Path.GetFullPath(Path.Combine(baseDirectory, match.Path)));
            }
        }
        var set = new DataFileSet(true, baseDirectory, files);
        files.Sort((a, b) => string.CompareOrdinal(set.NameOf(a), set.NameOf(b)));
        return set;
    }

    /// <summary>
    /// The first file with nothing to read: empty, or not a regular file. A named pipe or a device reports 0 bytes, and
    /// opening one waits for a writer that may never come, so such a file is refused, never opened.
    /// </summary>
    public string? FirstEmpty() => Files.FirstOrDefault(IO.RegularFile.IsEmpty);

    /// <summary>A file's name within the set: its path relative to <see cref="BaseDirectory"/>, with '/'.</summary>
    public string NameOf(string fullPath)
    {
        var prefix = BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var name = fullPath.StartsWith(prefix, StringComparison.Ordinal) ? fullPath.Substring(prefix.Length) : Path.GetFileName(fullPath);
        return name.Replace('\\', '/');
    }

    /// <summary>Hive's name for a partition whose value is missing (<c>year=__HIVE_DEFAULT_PARTITION__</c>).</summary>
    public const string MissingPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>
    /// The Hive partition keys of a set's file: the <c>key=value</c> folders of its name within the set
    /// (<c>year=2025/month=3/part-0.parquet</c> → year 2025, month 3), values percent-decoded as Hive writes them; a
    /// missing value (<see cref="MissingPartition"/>) is null. Empty for one file and for files outside such folders.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string?>> PartitionsOf(string fullPath)
    {
        if (!IsSet)
        {
            return [];
        }
        var segments = NameOf(fullPath).Split('/');
        var partitions = new List<KeyValuePair<string, string?>>();
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var equals = segments[i].IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }
            var key = Uri.UnescapeDataString(segments[i].Substring(0, equals));
            var value = Uri.UnescapeDataString(segments[i].Substring(equals + 1));
            partitions.Add(new KeyValuePair<string, string?>(key, value == MissingPartition || value.Length == 0 ? null : value));
        }
        return partitions;
    }

    /// <summary>
    /// The one hash that pins a set: the SHA-256 of its <c>sha256sum</c> listing, a line "hash, two spaces, name" per
    /// file in <see cref="Files"/> order. So <c>cd captured &amp;&amp; LC_ALL=C sha256sum *.parquet | sha256sum</c> gives it
    /// too: a file added, removed, renamed or changed changes it.
    /// </summary>
    /// <param name="fileHash">A file's SHA-256 (in hex), from a cache when the caller has one.</param>
    public string Hash(Func<string, string> fileHash)
    {
        var listing = new StringBuilder();
        foreach (var file in Files)
        {
            listing.Append(fileHash(file)).Append("  ").Append(NameOf(file)).Append('\n');
        }
        return Hashing.FileHash.Sha256(Encoding.UTF8.GetBytes(listing.ToString()));
    }

    /// <summary>How a diagnostic names the entry: "'captured/' (3 files)" or "'data/train.csv'".</summary>
    public string Describe(DataFileReference file) =>
        file.Query is not null ? file.DisplayName :
        IsSet ? $"files '{file.RelativePath}' ({Files.Count} {(Files.Count == 1 ? "file" : "files")})" : $"file '{file.RelativePath}'";
}

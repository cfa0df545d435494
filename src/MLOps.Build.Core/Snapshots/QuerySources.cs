using System.Text;
using MLOps.Build.Manifest;

namespace MLOps.Build.Snapshots;

/// <summary>
/// The repository files an in-process DuckDB query reads: every string literal of its SQL that, relative to the
/// manifest, names a file or a glob matching files (<c>'data/loans.csv'</c>, <c>read_parquet('events/*.parquet')</c>).
/// Their hashes, kept in the snapshot's <see cref="SnapshotRecord"/>, tell a later build that the files changed, so the
/// query runs again (and a changed result is MLOPS1061) instead of the old snapshot being trusted. A literal in a
/// comment that names a file only adds a file to watch. A query on a server or a database file has no such files:
/// its snapshot stands until the lock is updated.
/// </summary>
public static class QuerySources
{
    /// <summary>The sources' files, in ordinal order of their full paths; empty for queries with a connection.</summary>
    public static IReadOnlyList<string> Files(DataFileReference file, string manifestDirectory)
    {
        if (file.Query is not { Engine: QueryEngine.DuckDb, ConnectionVariable: null } query)
        {
            return [];
        }
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var literal in Literals(query.Sql))
        {
            if (literal.Length == 0 || literal.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || literal.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                var reference = new DataFileReference(file.Role, literal, query.SqlLocation, null, null, file.Node);
                var set = DataFileSet.Of(reference, manifestDirectory);
                files.UnionWith(set.Files.Where(File.Exists));
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // Not a path at all ('a:b:c', a literal far too long): nothing to watch.
            }
        }
        return files.ToArray();
    }

    /// <summary>
    /// One hash over the sources: each file's hash and path relative to the manifest (so every clone of a repository
    /// records the same), one line each; null when there are none.
    /// </summary>
    public static string? Hash(IReadOnlyList<string> files, string manifestDirectory, Func<string, string> fileHash)
    {
        if (files.Count == 0)
        {
            return null;
        }
        var listing = new StringBuilder();
        foreach (var path in files)
        {
            listing.Append(fileHash(path)).Append("  ").Append(NameOf(path, manifestDirectory)).Append('\n');
        }
        return Hashing.FileHash.Sha256(Encoding.UTF8.GetBytes(listing.ToString()));
    }

    /// <summary>The path below the manifest's folder with '/', or the full path for a file elsewhere in the repository.</summary>
    public static string NameOf(string path, string manifestDirectory)
    {
        var prefix = manifestDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return (path.StartsWith(prefix, StringComparison.Ordinal) ? path.Substring(prefix.Length) : path).Replace('\\', '/');
    }

    /// <summary>The single-quoted literals of SQL text ('' is a quote inside one).</summary>
    public static IEnumerable<string> Literals(string sql)
    {
        var literal = new StringBuilder();
        var inside = false;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (!inside)
            {
                inside = c == '\'';
                continue;
            }
            if (c != '\'')
            {
                literal.Append(c);
                continue;
            }
            if (i + 1 < sql.Length && sql[i + 1] == '\'')
            {
                literal.Append('\'');
                i++;
                continue;
            }
            yield return literal.ToString();
            literal.Clear();
            inside = false;
        }
    }
}

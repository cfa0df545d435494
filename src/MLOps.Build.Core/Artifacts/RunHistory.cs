using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MLOps.Build.Artifacts;

/// <summary>
/// Where a model's run history lives and how it is written and read: <c>&lt;runs&gt;/&lt;repository&gt;-&lt;hash&gt;/&lt;Model&gt;.jsonl</c>,
/// one <see cref="RunRecord"/> per line, appended (never rewritten), so concurrent builds and a killed build lose at
/// most their own line.
/// </summary>
public static class RunHistory
{
    /// <summary>The history file of one model of one repository clone.</summary>
    public static string PathFor(string runsDirectory, string repositoryRoot, string modelName)
    {
        var root = Path.GetFullPath(repositoryRoot).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        using var sha = SHA256.Create();
        var hash = Hashing.FileHash.ToHex(sha.ComputeHash(Encoding.UTF8.GetBytes(root))).Substring(0, 8);
        return Path.Combine(runsDirectory, Path.GetFileName(root) + "-" + hash, modelName + ".jsonl");
    }

    public static void Append(string path, RunRecord record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = Encoding.UTF8.GetBytes(ArtifactJson.Line(record, ArtifactJson.RunRecord) + "\n");
        // One write of one whole line in append mode: writers never interleave within a line.
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(line, 0, line.Length);
    }

    /// <summary>
    /// Every readable line, oldest first; a damaged line (a build killed mid-write) is skipped, and so is one that is
    /// JSON but lacks a part every record has (edited by hand, or written by something else): its readers (the report,
    /// <c>dotnet mlops runs</c> and <c>diff</c>, a sweep's warm start) may rely on those parts.
    /// </summary>
    public static IReadOnlyList<RunRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var records = new List<RunRecord>();
        foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
        {
            try
            {
                records.Add(ArtifactJson.ParseLine(line, ArtifactJson.RunRecord));
            }
            catch (JsonException)
            {
            }
        }
        return records;
    }
}

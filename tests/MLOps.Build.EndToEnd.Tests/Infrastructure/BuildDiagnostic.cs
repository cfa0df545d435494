using System.Text.RegularExpressions;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message)
{
    private static readonly Regex Canonical = new(
        @"^\s*(?<file>[^\s(][^(]*?)(\((?<line>\d+),(?<col>\d+)\))?\s*:\s*(?<sev>error|warning|message)\s+(?<code>[A-Z]+\d+)\s*:\s*(?<msg>.*?)(\s+\[[^\]]+\])?\s*$",
        RegexOptions.Compiled);

    /// <summary>Every distinct diagnostic in dotnet build output (MSBuild repeats errors in its summary).</summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string output) =>
        output.Split('\n')
            .Select(line => Canonical.Match(line.TrimEnd('\r')))
            .Where(m => m.Success)
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value) : 0,
                m.Groups["sev"].Value,
                m.Groups["code"].Value,
                m.Groups["msg"].Value))
            .Distinct()
            .ToArray();
}

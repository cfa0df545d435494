using System.Reflection;
using System.Text.RegularExpressions;
using MLOps.Build.Diagnostics;

namespace MLOps.Build.Tests;

public sealed class DocumentationTests
{
    private static string RepositoryFile(string relativePath) =>
        Path.Combine(typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepositoryRoot").Value!, relativePath);

    [Fact]
    public void Every_diagnostic_has_one_section_in_the_docs_and_every_section_a_diagnostic()
    {
        var documented = Regex.Matches(File.ReadAllText(RepositoryFile("docs/diagnostics.md")), @"^## (MLOPS\d{4})$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToArray();
        // Build-time diagnostics live in the Core catalog; compiler ones in the generator's release tracking file.
        var compilerRules = Regex.Matches(File.ReadAllText(RepositoryFile("src/MLOps.Build.Generators/AnalyzerReleases.Unshipped.md")), @"^(MLOPS\d{4}) \|", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);
        var defined = DiagnosticCodes.All.Select(d => d.Id).Concat(compilerRules).ToArray();

        Assert.Equal(defined.Order(), documented.Order());
        Assert.Equal(defined.Length, defined.Distinct().Count());
    }

    [Fact]
    public void Diagnostic_ids_sit_in_the_range_of_their_stage()
    {
        Assert.All(DiagnosticCodes.All, d => Assert.Matches(@"^MLOPS[1-6]\d{3}$", d.Id));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MLOps.Build.Generators.Common;

/// <summary>The AdditionalFiles MLOps.Build adds, by their <c>MLOpsKind</c> item metadata.</summary>
internal static class ProjectFiles
{
    public const string ModelCard = "ModelCard";
    public const string Manifest = "Manifest";
    public const string Monitoring = "Monitoring";
    public const string DriftReport = "DriftReport";

    public static string Kind(AnalyzerConfigOptions options) => Metadata(options, "MLOpsKind");

    public static string Metadata(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) ? value : "";

    /// <summary>The files of one kind, with their model name.</summary>
    public static IEnumerable<(AdditionalText File, string ModelName, AnalyzerConfigOptions Options)> OfKind(AnalyzerOptions options, string kind) =>
        options.AdditionalFiles
            .Select(file => (File: file, Options: options.AnalyzerConfigOptionsProvider.GetOptions(file)))
            .Where(f => Kind(f.Options) == kind)
            .Select(f => (f.File, Metadata(f.Options, "MLOpsModelName"), f.Options));

    /// <summary>A 1-based line and column in a file outside the compilation (the manifest), as a Roslyn location.</summary>
    public static Location At(string path, int line, int column)
    {
        var position = new LinePosition(Math.Max(0, line - 1), Math.Max(0, column - 1));
        return Location.Create(path, default, new LinePositionSpan(position, position));
    }
}

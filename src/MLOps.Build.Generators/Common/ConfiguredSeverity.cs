using Microsoft.CodeAnalysis;

namespace MLOps.Build.Generators.Common;

/// <summary>
/// Drift diagnostics point into the manifest, an AdditionalFile, and the compiler applies .editorconfig severities
/// only to diagnostics in C# files (dotnet/roslyn#31916). So the analyzer applies the severity itself: the one
/// the project's C# files are configured with, when they agree, as the compiler does for location-less diagnostics.
/// </summary>
internal static class ConfiguredSeverity
{
    public static ReportDiagnostic Of(Compilation compilation, string id, CancellationToken cancellation)
    {
        if (compilation.Options.SyntaxTreeOptionsProvider is not { } provider)
        {
            return ReportDiagnostic.Default;
        }
        ReportDiagnostic? agreed = null;
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Files outside every section (generated sources, for one) have no say.
            if (!provider.TryGetDiagnosticValue(tree, id, cancellation, out var configured) || configured == ReportDiagnostic.Default)
            {
                continue;
            }
            if (agreed is not null && agreed != configured)
            {
                return ReportDiagnostic.Default;
            }
            agreed = configured;
        }
        return agreed ?? ReportDiagnostic.Default;
    }

    /// <summary>Creates the diagnostic at the configured severity; null when it is switched off.</summary>
    public static Diagnostic? Create(DiagnosticDescriptor descriptor, Location location, ReportDiagnostic configured, params object?[] arguments)
    {
        DiagnosticSeverity severity;
        switch (configured)
        {
            case ReportDiagnostic.Suppress:
                return null;
            case ReportDiagnostic.Error:
                severity = DiagnosticSeverity.Error;
                break;
            case ReportDiagnostic.Warn:
                severity = DiagnosticSeverity.Warning;
                break;
            case ReportDiagnostic.Info:
                severity = DiagnosticSeverity.Info;
                break;
            case ReportDiagnostic.Hidden:
                severity = DiagnosticSeverity.Hidden;
                break;
            default:
                severity = descriptor.DefaultSeverity;
                break;
        }
        return Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, DiagnosticArguments.Shown(arguments));
    }
}

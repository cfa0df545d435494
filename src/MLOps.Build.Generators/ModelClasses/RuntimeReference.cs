using Microsoft.CodeAnalysis;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>
/// The MLOps.Runtime the project compiles against, if any. Generated code calls the runtime of the generator's own
/// release; a later runtime keeps that API (PublicAPI analyzers and package validation guard it), an earlier one may
/// lack members it calls. Versions are assembly versions (major.minor.patch), which both packages take from one
/// VersionPrefix.
/// </summary>
internal readonly record struct RuntimeReference(Version? Version)
{
    public const string AssemblyName = "MLOps.Runtime";

    /// <summary>This generator's version: the version of MLOps.Build it shipped in.</summary>
    public static Version GeneratorVersion { get; } = typeof(RuntimeReference).Assembly.GetName().Version ?? new Version(0, 0, 0, 0);

    public static RuntimeReference Of(IEnumerable<AssemblyIdentity> references)
    {
        foreach (var identity in references)
        {
            if (string.Equals(identity.Name, AssemblyName, StringComparison.OrdinalIgnoreCase))
            {
                return new RuntimeReference(identity.Version);
            }
        }
        return new RuntimeReference(null);
    }

    /// <summary>Why the class named <paramref name="className"/> cannot be generated against this reference; null when it can.</summary>
    public Diagnostic? Problem(string className)
    {
        if (Version is null)
        {
            return Diagnostic.Create(DiagnosticDescriptors.RuntimeNotReferenced, Location.None, className);
        }
        return Release(Version) < Release(GeneratorVersion)
            ? Diagnostic.Create(DiagnosticDescriptors.RuntimeTooOld, Location.None, className, Text(GeneratorVersion), Text(Version))
            : null;
    }

    // The revision is not part of a release: builds of one release may differ there.
    private static Version Release(Version version) => new(version.Major, version.Minor, Math.Max(version.Build, 0));

    private static string Text(Version version) => Release(version).ToString(3);
}

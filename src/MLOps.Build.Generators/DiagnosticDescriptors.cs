using Microsoft.CodeAnalysis;

namespace MLOps.Build.Generators;

/// <summary>MLOPS5xxx: code generation. Help links point at docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "MLOps.CodeGeneration";
    private const string HelpLinkBase = "https://github.com/mlops-build/mlops-build/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor ModelCardMissing = Create("MLOPS5001", "Model not trained yet",
        "Model '{0}' has no model card yet, so its class is not generated; build the project once to train it",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ModelCardUnreadable = Create("MLOPS5002", "Model card cannot be read",
        "The model card '{0}' cannot be read: {1}; rebuild to train the model again", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnknownSchemaVersion = Create("MLOPS5003", "Unknown model card schema version",
        "The model card '{0}' has schema version {1}, and this MLOps.Build reads version {2}; rebuild, or update MLOps.Build", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor IdentifierCollision = Create("MLOPS5004", "Generated names collide",
        "{0}", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RuntimeNotReferenced = Create("MLOPS5005", "MLOps.Runtime is not referenced",
        "The class '{0}' is not generated because the project does not reference the MLOps.Runtime package; add <PackageReference Include=\"MLOps.Runtime\" />",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}

using Microsoft.CodeAnalysis;

namespace MLOps.Build.Generators;

/// <summary>
/// MLOPS4xxx drift (from drift.json and the model card), MLOPS5xxx code generation, MLOPS6xxx code analysis.
/// Help links point at docs/diagnostics.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "MLOps.CodeGeneration";
    private const string DriftCategory = "MLOps.Drift";
    private const string InputCategory = "MLOps.Inputs";
    private const string HelpLinkBase = "https://github.com/mlops-build/mlops-build/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor ModelCardMissing = Create("MLOPS5001", "Model not trained yet",
        "Model '{0}' has no model card yet, so its class is not generated; build the project once to train it",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ModelCardUnreadable = Create("MLOPS5002", "Model card cannot be read",
        "The model card '{0}' cannot be read: {1}; rebuild to train the model again", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnknownSchemaVersion = Create("MLOPS5003", "Unknown model card schema version",
        "The model card '{0}' has schema version {1}, and this MLOps.Build reads versions {2}; rebuild, or update MLOps.Build", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor IdentifierCollision = Create("MLOPS5004", "Generated names collide",
        "{0}", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RuntimeNotReferenced = Create("MLOPS5005", "MLOps.Runtime is not referenced",
        "The class '{0}' is not generated because the project does not reference the MLOps.Runtime package; add <PackageReference Include=\"MLOps.Runtime\" />",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor RuntimeTooOld = Create("MLOPS5006", "MLOps.Runtime is older than MLOps.Build",
        "The class '{0}' is not generated: MLOps.Build {1} generates code for MLOps.Runtime {1} or later, and the project references MLOps.Runtime {2}; update the MLOps.Runtime package to the version of MLOps.Build",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor FeatureDrift = Create("MLOPS4001", "Feature drifts",
        "Feature '{0}' of {1} drifts: {2} {3} (threshold {4}) between the training data and '{5}'{6}",
        DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor DatasetDrift = Create("MLOPS4002", "Dataset drifts",
        "{0}: {1} of {2} features drift ({3}), at least the share {4} that counts as dataset drift; retrain on recent data",
        DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor UnseenCategories = Create("MLOPS4003", "Categories unseen in training",
        "Feature '{0}' of {1} has {2} value(s) never seen in training in {3} row(s) of '{4}': {5}",
        DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor StaleModel = Create("MLOPS4004", "Model is stale",
        "{0} was trained on '{1}' with sha256 {2}, but the manifest now pins {3}; build to train it again",
        DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor DriftReportUnreadable = Create("MLOPS4005", "Drift report cannot be read",
        "The drift report '{0}' cannot be read: {1}; build again to recompute it", DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor MissingRateChanged = Create("MLOPS4006", "Missing values changed",
        "Feature '{0}' of {1} is missing in {2} of the rows of '{3}' against {4} in training",
        DiagnosticSeverity.Warning, DriftCategory);

    public static readonly DiagnosticDescriptor EstimateGateFailed = Create("MLOPS4007", "Estimated quality fails its gate",
        "{0}: estimated {1} {2} ± {3} on {4} rows of '{5}' (without labels) is outside the gate {6}{7}",
        DiagnosticSeverity.Error, DriftCategory);

    public static readonly DiagnosticDescriptor OutsideTrainingRange = Create("MLOPS6001", "Input outside the training range",
        "{0}.{1} = {2} lies outside the training range [{3}, {4}] of '{5}'; the model never saw such a value",
        DiagnosticSeverity.Warning, InputCategory);

    public static readonly DiagnosticDescriptor UnseenCategory = Create("MLOPS6002", "Input category unseen in training",
        "{0}.{1} = \"{2}\" is not a category of '{3}' seen in training ({4})", DiagnosticSeverity.Warning, InputCategory);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, string category = Category) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}

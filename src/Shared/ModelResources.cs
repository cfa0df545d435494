namespace MLOps.Shared;

/// <summary>
/// The manifest resource name under which the build embeds a model's ONNX file and the runtime finds it again.
/// Documented (README, docs/manifest.md), so apps may load it directly.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ModelResources
{
    public const string Prefix = "MLOps.Models.";
    public const string Suffix = ".onnx";

    /// <summary><c>MLOps.Models.{modelName}.onnx</c>.</summary>
    public static string Name(string modelName) => Prefix + modelName + Suffix;

    /// <summary>The suffix of a model's provenance statement, embedded beside it.</summary>
    public const string ProvenanceSuffix = ".provenance.json";

    /// <summary><c>MLOps.Models.{modelName}.provenance.json</c>: the audit facts of the model, beside it.</summary>
    public static string ProvenanceName(string modelName) => Prefix + modelName + ProvenanceSuffix;

    /// <summary>The suffix of a model's signed provenance (an in-toto statement in a DSSE envelope), embedded beside it.</summary>
    public const string SignedProvenanceSuffix = ".provenance.intoto.json";

    /// <summary><c>MLOps.Models.{modelName}.provenance.intoto.json</c>: the model's provenance, signed.</summary>
    public static string SignedProvenanceName(string modelName) => Prefix + modelName + SignedProvenanceSuffix;

    /// <summary>The model name of a provenance resource name; null for any other resource.</summary>
    public static string? ModelOfProvenance(string resourceName) =>
        resourceName.StartsWith(Prefix, StringComparison.Ordinal) && resourceName.EndsWith(ProvenanceSuffix, StringComparison.Ordinal)
        && resourceName.Length > Prefix.Length + ProvenanceSuffix.Length
            ? resourceName.Substring(Prefix.Length, resourceName.Length - Prefix.Length - ProvenanceSuffix.Length)
            : null;

    /// <summary>The model name of a resource name this rule made; null for any other resource.</summary>
    public static string? ModelOf(string resourceName) =>
        resourceName.StartsWith(Prefix, StringComparison.Ordinal) && resourceName.EndsWith(Suffix, StringComparison.Ordinal)
        && resourceName.Length > Prefix.Length + Suffix.Length
            ? resourceName.Substring(Prefix.Length, resourceName.Length - Prefix.Length - Suffix.Length)
            : null;
}

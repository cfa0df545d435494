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

    /// <summary>The model name of a resource name this rule made; null for any other resource.</summary>
    public static string? ModelOf(string resourceName) =>
        resourceName.StartsWith(Prefix, StringComparison.Ordinal) && resourceName.EndsWith(Suffix, StringComparison.Ordinal)
        && resourceName.Length > Prefix.Length + Suffix.Length
            ? resourceName.Substring(Prefix.Length, resourceName.Length - Prefix.Length - Suffix.Length)
            : null;
}

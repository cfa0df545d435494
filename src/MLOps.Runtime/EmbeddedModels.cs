using System.Reflection;
using MLOps.Shared;

namespace MLOps.Runtime;

/// <summary>Reads the ONNX models that MLOps.Build embeds in an assembly.</summary>
public static class EmbeddedModels
{
    /// <summary>The manifest resource name MLOps.Build gives a model: <c>MLOps.Models.{ModelName}.onnx</c>.</summary>
    public static string ResourceName(string modelName) => ModelResources.Name(modelName);

    /// <summary>The bytes of the embedded model <paramref name="modelName"/> in <paramref name="assembly"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly does not embed that model.</exception>
    public static byte[] Read(Assembly assembly, string modelName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var name = ResourceName(modelName);
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Assembly '{assembly.GetName().Name}' has no embedded model '{name}'. Was it built with MLOps.Build and an <MLModel> item for '{modelName}'?");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Names of the models embedded in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<string> List(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceNames()
            .Select(ModelResources.ModelOf)
            .OfType<string>()
            .ToArray();
    }
}

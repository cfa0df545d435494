namespace MLOps.Shared;

/// <summary>
/// The element types a generated class exchanges with a model, by the name the model card records
/// (<c>inputs[].onnxType</c>, <c>outputs[].onnxType</c>: ONNX's type name in lower case): which ones are supported,
/// the C# keyword a property or array element gets, and the name of MLOps.Runtime's <c>TensorKind</c> member. The
/// importer and the trainer write these names, the generator reads them, the runtime's enum carries them.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ElementTypes
{
    public const string Float = "float";
    public const string Double = "double";
    public const string Int32 = "int32";
    public const string Int64 = "int64";
    public const string Bool = "bool";
    public const string String = "string";

    /// <summary>Every supported name, in the order messages list them.</summary>
    public static readonly string[] Supported = [Float, Double, Int32, Int64, Bool, String];

    /// <summary>"float, double, int32, int64, bool and string", for messages.</summary>
    public static string SupportedList => string.Join(", ", Supported, 0, Supported.Length - 1) + " and " + Supported[Supported.Length - 1];

    /// <summary>
    /// The card's name of an ONNX or ONNX Runtime element type name (<c>Float</c>, <c>INT64</c>, <c>int64</c>);
    /// null when a generated class cannot exchange it.
    /// </summary>
    public static string? FromOnnxName(string onnxName)
    {
        var name = onnxName.ToLowerInvariant();
        return Array.IndexOf(Supported, name) >= 0 ? name : null;
    }

    /// <summary>The C# keyword for the card's <paramref name="name"/>; null when unsupported.</summary>
    public static string? CSharpKeyword(string name) => name switch
    {
        Float => "float",
        Double => "double",
        Int32 => "int",
        Int64 => "long",
        Bool => "bool",
        String => "string",
        _ => null,
    };

    /// <summary>The MLOps.Runtime <c>TensorKind</c> member for the card's <paramref name="name"/>; null when unsupported.</summary>
    public static string? TensorKindName(string name) => name switch
    {
        Float => "Float",
        Double => "Double",
        Int32 => "Int32",
        Int64 => "Int64",
        Bool => "Bool",
        String => "String",
        _ => null,
    };
}

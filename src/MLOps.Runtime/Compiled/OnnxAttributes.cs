using Google.Protobuf;
using MLOps.Onnx;

namespace MLOps.Runtime.Compiled;

/// <summary>Typed reads of a node's attributes, with ONNX's defaults when an attribute is absent.</summary>
internal static class OnnxAttributes
{
    public static AttributeProto? Find(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static bool Has(this NodeProto node, string name) => node.Find(name) is not null;

    public static long Int(this NodeProto node, string name, long fallback) => node.Find(name) is { } a ? a.I : fallback;

    public static float Float(this NodeProto node, string name, float fallback) => node.Find(name) is { } a ? a.F : fallback;

    public static string String(this NodeProto node, string name, string fallback) => node.Find(name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static long[] Ints(this NodeProto node, string name) => node.Find(name) is { } a ? [.. a.Ints] : [];

    public static float[] Floats(this NodeProto node, string name) => node.Find(name) is { } a ? [.. a.Floats] : [];

    public static string[] Strings(this NodeProto node, string name) => node.Find(name) is { } a ? [.. a.Strings.Select(s => s.ToStringUtf8())] : [];

    /// <summary>Attributes that hold their values as a double tensor (the <c>*_as_tensor</c> forms) are outside the float subset.</summary>
    public static void RejectTensorForms(this NodeProto node)
    {
        foreach (var attribute in node.Attribute.Where(a => a.Name.EndsWith("_as_tensor", StringComparison.Ordinal) || a.Name.EndsWith("_tensor", StringComparison.Ordinal)))
        {
            throw new UnsupportedGraphException($"attribute '{attribute.Name}' (double-precision or tensor form) is not compiled");
        }
    }

    /// <summary>An initializer's or Constant's values as floats (numbers) or strings.</summary>
    public static (float[]? Numbers, string[]? Strings, ElementType Type) Values(TensorProto tensor)
    {
        var count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        var raw = tensor.RawData.Span;
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float:
                return (raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. tensor.FloatData], null, ElementType.Float);
            case TensorProto.Types.DataType.Int64:
                return (ExactIntegers(raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. tensor.Int64Data], $"int64 constant '{tensor.Name}'"), null, ElementType.Int64);
            case TensorProto.Types.DataType.Int32:
                return ((raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw).ToArray() : [.. tensor.Int32Data]).Select(v => (float)v).ToArray(), null, ElementType.Int32);
            case TensorProto.Types.DataType.Bool:
                return ((raw.Length > 0 ? raw.ToArray().Select(b => (int)b).ToArray() : [.. tensor.Int32Data]).Select(v => v != 0 ? 1f : 0f).ToArray(), null, ElementType.Bool);
            case TensorProto.Types.DataType.String:
                return (null, [.. tensor.StringData.Select(s => s.ToStringUtf8())], ElementType.String);
            default:
                throw new UnsupportedGraphException($"constant '{tensor.Name}' holds {(TensorProto.Types.DataType)tensor.DataType}, outside the float/int/bool/string subset");
        }
    }

    /// <summary>Integers (constants, keys, labels, categories) live in float slots: exact only up to ±2^24.</summary>
    public static float[] ExactIntegers(long[] values, string what)
    {
        const long exact = 1L << 24;
        return values.Any(v => v > exact || v < -exact)
            ? throw new UnsupportedGraphException($"{what} beyond ±2^24, which the float slots of the compiled scorer cannot hold exactly")
            : values.Select(v => (float)v).ToArray();
    }

    public static ElementType? ToElementType(int onnxType) => (TensorProto.Types.DataType)onnxType switch
    {
        TensorProto.Types.DataType.Float => ElementType.Float,
        TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint16
            or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Int8 => ElementType.Int64,
        TensorProto.Types.DataType.Int32 => ElementType.Int32,
        TensorProto.Types.DataType.Bool => ElementType.Bool,
        TensorProto.Types.DataType.String => ElementType.String,
        _ => null,
    };

    public static string Describe(NodeProto node) =>
        string.IsNullOrEmpty(node.Name) ? $"{node.OpType} node" : $"{node.OpType} node '{node.Name}'";

    internal static ByteString Utf8(string s) => ByteString.CopyFromUtf8(s);
}

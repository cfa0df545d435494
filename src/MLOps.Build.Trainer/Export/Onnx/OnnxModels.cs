using Google.Protobuf;

namespace MLOps.Build.Trainer.Export.Onnx;
using MLOps.Onnx;

/// <summary>Reading, rewriting and building ONNX models through the generated onnx-ml.proto classes.</summary>
internal static class OnnxModels
{
    public const string MLDomain = "ai.onnx.ml";

    public static ModelProto Parse(byte[] model) => ModelProto.Parser.ParseFrom(model);

    /// <summary>
    /// Rewrites the main graph of the model, keeping every other field. Null when the model has no graph or
    /// <paramref name="rewrite"/> declines by returning false. Serialization is deterministic (fields in number order).
    /// </summary>
    public static byte[]? RewriteGraph(byte[] model, Func<GraphProto, bool> rewrite)
    {
        var parsed = Parse(model);
        return parsed.Graph is not null && rewrite(parsed.Graph) ? parsed.ToByteArray() : null;
    }

    public static NodeProto Node(string opType, string name, string domain, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto? Attribute(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, S = ByteString.CopyFromUtf8(value), Type = AttributeProto.Types.AttributeType.String };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, IEnumerable<ByteString> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values);
        return attribute;
    }

    /// <summary>The value of a one-element float tensor (from float_data or raw_data); null for anything else.</summary>
    public static float? Scalar(this TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.Dims.Aggregate(1L, (a, b) => a * b) != 1)
        {
            return null;
        }
        return tensor.FloatData.Count == 1 ? tensor.FloatData[0]
            : tensor.RawData.Length == 4 ? BitConverter.ToSingle(tensor.RawData.Span)
            : null;
    }

    public static TensorProto FloatVector(string name, IEnumerable<float> values)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Name = name };
        tensor.FloatData.AddRange(values);
        tensor.Dims.Add(tensor.FloatData.Count);
        return tensor;
    }

    /// <summary>Every node's consumers of each tensor name.</summary>
    public static ILookup<string, NodeProto> Consumers(IEnumerable<NodeProto> nodes) =>
        nodes.SelectMany(n => n.Input.Select(input => (Input: input, Node: n))).ToLookup(p => p.Input, p => p.Node);
}

namespace MLOps.Build.Trainer.Export.Protobuf;

/// <summary>onnx.proto field numbers of the ModelProto and GraphProto members the graph rewrites touch.</summary>
public static class OnnxFields
{
    public const int ModelGraph = 7;
    public const int GraphNode = 1;
    public const int GraphInitializer = 5;
    public const int GraphInput = 11;
    public const int GraphOutput = 12;
    public const int GraphValueInfo = 13;
    public const int ValueInfoName = 1;
    public const int TensorName = 8;
}

public static class OnnxModel
{
    /// <summary>
    /// Rewrites the model's main graph, field by field, keeping every other model field as it was.
    /// Null when the model has no graph or <paramref name="rewrite"/> declines by returning null.
    /// </summary>
    public static byte[]? RewriteGraph(byte[] model, Func<List<ProtoField>, List<ProtoField>?> rewrite)
    {
        var modelFields = ProtoMessage.Read(model);
        var graph = modelFields.FirstOrDefault(f => f.Number == OnnxFields.ModelGraph);
        if (graph is null || rewrite(ProtoMessage.Read(graph.Payload)) is not { } rewritten)
        {
            return null;
        }
        var bytes = ProtoMessage.Write(rewritten);
        return ProtoMessage.Write(modelFields.Select(f => f.Number == OnnxFields.ModelGraph ? ProtoField.Bytes(OnnxFields.ModelGraph, bytes) : f));
    }

    /// <summary>A string member of a message field: the name of a ValueInfoProto or TensorProto.</summary>
    public static string NameOf(ProtoField message, int nameField) =>
        ProtoMessage.Read(message.Payload).FirstOrDefault(f => f.Number == nameField)?.Text ?? "";
}

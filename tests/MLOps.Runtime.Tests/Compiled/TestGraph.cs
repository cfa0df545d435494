using Google.Protobuf;
using MLOps.Onnx;
using static MLOps.Build.Trainer.Export.Onnx.OnnxModels;

namespace MLOps.Runtime.Tests.Compiled;

/// <summary>A small ONNX graph built node by node, the way converters outside ML.NET write them: [N, …] inputs named freely.</summary>
internal sealed class TestGraph
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private int _nodes;

    public TestGraph Input(string name, TensorProto.Types.DataType type, params long[] row)
    {
        _graph.Input.Add(Value(name, type, row));
        return this;
    }

    public TestGraph Output(string name, TensorProto.Types.DataType type, params long[] row)
    {
        _graph.Output.Add(Value(name, type, row));
        return this;
    }

    public TestGraph Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        Add(op, "", inputs, outputs, attributes);

    public TestGraph MLNode(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        Add(op, MLDomain, inputs, outputs, attributes);

    public TestGraph Constant(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    public TestGraph Int64Constant(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    public byte[] Build(long opset = 13)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "MLOps.Build tests", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MLDomain, Version = 3 });
        return model.ToByteArray();
    }

    public static AttributeProto Texts(string name, params string[] values) => Strings(name, values.Select(ByteString.CopyFromUtf8));

    private TestGraph Add(string op, string domain, string[] inputs, string[] outputs, AttributeProto[] attributes)
    {
        _graph.Node.Add(MLOps.Build.Trainer.Export.Onnx.OnnxModels.Node(op, $"{op.ToLowerInvariant()}_{_nodes++}", domain, inputs, outputs, attributes));
        return this;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] row)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.AddRange(row.Select(d => d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "dynamic" } : new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

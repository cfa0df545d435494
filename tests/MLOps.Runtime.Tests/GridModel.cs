using Google.Protobuf;
using MLOps.Onnx;

namespace MLOps.Runtime.Tests;

/// <summary>
/// A small graph built for the tests with two dynamic inner dimensions: <c>grid</c> float [batch, rows, cols] gives
/// <c>total</c> [batch] (the sum of each row's grid) and <c>scaled</c> [batch, rows, cols] (the grid times two).
/// tests/Fixtures/Models/GridModel/modelcard.json is what the importer makes of it.
/// </summary>
public static class GridModel
{
    public static byte[] Build()
    {
        var graph = new GraphProto { Name = "grid" };
        graph.Input.Add(Value("grid", "batch", "rows", "cols"));
        graph.Output.Add(Value("total", "batch"));
        graph.Output.Add(Value("scaled", "batch", "rows", "cols"));
        var axes = new TensorProto { Name = "axes", DataType = (int)TensorProto.Types.DataType.Int64 };
        axes.Dims.Add(2);
        axes.Int64Data.AddRange([1, 2]);
        var two = new TensorProto { Name = "two", DataType = (int)TensorProto.Types.DataType.Float };
        two.FloatData.Add(2f);
        graph.Initializer.Add(axes);
        graph.Initializer.Add(two);
        graph.Node.Add(Node("ReduceSum", ["grid", "axes"], ["total"], new AttributeProto { Name = "keepdims", I = 0, Type = AttributeProto.Types.AttributeType.Int }));
        graph.Node.Add(Node("Mul", ["grid", "two"], ["scaled"]));
        var model = new ModelProto { IrVersion = 7, ProducerName = "MLOps.Runtime.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static ValueInfoProto Value(string name, params string[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dimensions.Select(d => new TensorShapeProto.Types.Dimension { DimParam = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

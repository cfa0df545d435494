using MLOps.Onnx;

namespace MLOps.Runtime.Compiled;

/// <summary>
/// Turns an ONNX graph into kernels over one row's scratch: every number (float, integer, bool) in a float slot,
/// every string in a string slot, every value at a fixed offset (static shapes only, besides the row axis). Nodes are
/// compiled in graph order, which ONNX requires to be topological. Anything outside the subset throws
/// <see cref="UnsupportedGraphException"/> naming the node: the caller then keeps ONNX Runtime.
/// </summary>
internal sealed partial class GraphCompiler
{
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly List<Kernel> _kernels = [];
    private readonly List<(int Offset, float[] Values)> _numberConstants = [];
    private readonly List<(int Offset, string[] Values)> _stringConstants = [];
    private int _numbers;
    private int _strings;
    private NodeProto _node = new();
    private GraphProto _graph = new();
    private HashSet<string> _graphOutputs = [];

    public static CompiledModel Compile(ModelProto model)
    {
        var graph = model.Graph ?? throw new UnsupportedGraphException("the model has no graph");
        var compiler = new GraphCompiler { _graph = graph, _graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal) };
        foreach (var initializer in graph.Initializer)
        {
            compiler._constants[initializer.Name] = initializer;
        }
        if (graph.SparseInitializer.Count > 0)
        {
            throw new UnsupportedGraphException("sparse initializers are not compiled");
        }
        var inputs = graph.Input.Where(i => !compiler._constants.ContainsKey(i.Name)).Select(compiler.DeclareInput).ToArray();
        foreach (var node in graph.Node)
        {
            if (compiler._fused.Contains(node))
            {
                continue;
            }
            compiler._node = node;
            try
            {
                compiler.CompileNode(node);
            }
            catch (UnsupportedGraphException ex)
            {
                throw new UnsupportedGraphException($"{OnnxAttributes.Describe(node)}: {ex.Message}");
            }
        }
        var outputs = graph.Output.Select(compiler.DeclareOutput).ToArray();
        return new CompiledModel(
            [.. compiler._kernels], compiler._numbers, compiler._strings,
            [.. compiler._numberConstants], [.. compiler._stringConstants], inputs, outputs);
    }

    private CompiledTensor DeclareInput(ValueInfoProto input)
    {
        var tensor = input.Type?.TensorType ?? throw new UnsupportedGraphException($"input '{input.Name}' is not a tensor");
        var type = OnnxAttributes.ToElementType(tensor.ElemType)
            ?? throw new UnsupportedGraphException($"input '{input.Name}' holds element type {tensor.ElemType}, outside the float/int/bool/string subset");
        var dims = tensor.Shape?.Dim ?? throw new UnsupportedGraphException($"input '{input.Name}' has no shape");
        if (dims.Count == 0)
        {
            throw new UnsupportedGraphException($"input '{input.Name}' is a scalar, without a row axis");
        }
        var row = new int[dims.Count - 1];
        for (var d = 1; d < dims.Count; d++)
        {
            if (dims[d].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[d].DimValue <= 0)
            {
                throw new UnsupportedGraphException($"input '{input.Name}' has a dynamic dimension {d} ('{dims[d].DimParam}')");
            }
            row[d - 1] = (int)dims[d].DimValue;
        }
        var value = Allocate(input.Name, type, row);
        return new CompiledTensor(input.Name, type, value.Offset, value.Width, row);
    }

    private CompiledTensor DeclareOutput(ValueInfoProto output)
    {
        var value = Value(output.Name);
        if (!value.Batched)
        {
            throw new UnsupportedGraphException($"output '{output.Name}' is a constant");
        }
        var declared = output.Type?.TensorType is { } t ? OnnxAttributes.ToElementType(t.ElemType) : null;
        return new CompiledTensor(output.Name, declared ?? value.Type, value.Offset, value.Width, value.RowShape);
    }

    private GraphValue Allocate(string name, ElementType type, int[] rowShape)
    {
        var width = rowShape.Aggregate(1, (a, b) => a * b);
        GraphValue value;
        if (type == ElementType.String)
        {
            value = new GraphValue(name, type, _strings, rowShape, Batched: true);
            _strings += width;
        }
        else
        {
            value = new GraphValue(name, type, _numbers, rowShape, Batched: true);
            _numbers += width;
        }
        return _values[name] = value;
    }

    /// <summary>A node's output under a new name that shares its input's slots (Identity, Reshape, a Cast that changes nothing).</summary>
    private void Alias(string name, GraphValue source, ElementType type, int[] rowShape) =>
        _values[name] = source with { Name = name, Type = type, RowShape = rowShape };

    private GraphValue Value(string name)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }
        if (!_constants.TryGetValue(name, out var tensor))
        {
            throw new UnsupportedGraphException($"value '{name}' is used before it is computed");
        }
        // A constant gets slots (written once per scratch) the first time a kernel reads it.
        var (numbers, strings, type) = OnnxAttributes.Values(tensor);
        var shape = tensor.Dims.Select(d => (int)d).ToArray();
        if (strings is not null)
        {
            value = new GraphValue(name, type, _strings, shape, Batched: false);
            _stringConstants.Add((_strings, strings));
            _strings += strings.Length;
        }
        else
        {
            value = new GraphValue(name, type, _numbers, shape, Batched: false);
            _numberConstants.Add((_numbers, numbers!));
            _numbers += numbers!.Length;
        }
        return _values[name] = value;
    }

    private GraphValue Input(int index) =>
        index < _node.Input.Count && _node.Input[index].Length > 0
            ? Value(_node.Input[index])
            : throw new UnsupportedGraphException($"input {index} is missing");

    private bool HasInput(int index) => index < _node.Input.Count && _node.Input[index].Length > 0;

    private GraphValue RowInput(int index)
    {
        var value = Input(index);
        return value.Batched ? value : throw new UnsupportedGraphException($"input '{value.Name}' is a constant where a per-row value is expected");
    }

    private GraphValue NumberInput(int index)
    {
        var value = RowInput(index);
        return value.IsNumber ? value : throw new UnsupportedGraphException($"input '{value.Name}' holds strings where numbers are expected");
    }

    private string Output(int index = 0) =>
        index < _node.Output.Count ? _node.Output[index] : throw new UnsupportedGraphException($"output {index} is missing");

    private bool HasOutput(int index) => index < _node.Output.Count && _node.Output[index].Length > 0;

    private GraphValue NewOutput(ElementType type, int[] rowShape, int index = 0) => Allocate(Output(index), type, rowShape);

    /// <summary>The values of a constant input (a shape, axes, clip bounds); null when the input is absent.</summary>
    private float[]? ConstantNumbers(int index)
    {
        if (!HasInput(index))
        {
            return null;
        }
        var name = _node.Input[index];
        if (!_constants.TryGetValue(name, out var tensor))
        {
            throw new UnsupportedGraphException($"input '{name}' must be a constant");
        }
        return tensor.DataType == (int)TensorProto.Types.DataType.Int64
            ? (tensor.RawData.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray() : [.. tensor.Int64Data]).Select(v => (float)v).ToArray()
            : OnnxAttributes.Values(tensor).Numbers ?? throw new UnsupportedGraphException($"input '{name}' must hold numbers");
    }

    /// <summary>
    /// Axis <paramref name="axis"/> (possibly negative) of a per-row value must be its last one, and the row a vector
    /// (other dimensions 1): the row-wise kernels (Softmax, ArgMax, reductions) work on the whole row.
    /// </summary>
    private static void RequireLastAxis(GraphValue value, long axis)
    {
        var rank = value.RowShape.Length + 1;
        var normalized = axis < 0 ? axis + rank : axis;
        if (value.RowShape.Length == 0 || normalized != rank - 1 || value.RowShape[..^1].Any(d => d != 1))
        {
            throw new UnsupportedGraphException($"only the last axis of a [rows, n] tensor is compiled (axis {axis} of [rows, {string.Join(", ", value.RowShape)}])");
        }
    }
}

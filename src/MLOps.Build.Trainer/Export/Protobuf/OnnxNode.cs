namespace MLOps.Build.Trainer.Export.Protobuf;

/// <summary>An ONNX NodeProto read from its fields (onnx.proto field numbers), enough to match and rewrite graphs.</summary>
public sealed class OnnxNode
{
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int NodeDomain = 7;

    public OnnxNode(ProtoField field)
    {
        var fields = ProtoMessage.Read(field.Payload);
        OpType = fields.FirstOrDefault(f => f.Number == NodeOpType)?.Text ?? "";
        Inputs = fields.Where(f => f.Number == NodeInput).Select(f => f.Text).ToList();
        Outputs = fields.Where(f => f.Number == NodeOutput).Select(f => f.Text).ToList();
        Attributes = fields.Where(f => f.Number == NodeAttribute).Select(f => new OnnxAttribute(f.Payload)).ToList();
        Name = fields.FirstOrDefault(f => f.Number == NodeName)?.Text ?? "";
        Domain = fields.FirstOrDefault(f => f.Number == NodeDomain)?.Text ?? "";
    }

    private OnnxNode(string opType, List<string> inputs, List<string> outputs, List<OnnxAttribute> attributes) =>
        (OpType, Inputs, Outputs, Attributes) = (opType, inputs, outputs, attributes);

    public string OpType { get; }
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlyList<OnnxAttribute> Attributes { get; }
    public string Name { get; private init; } = "";
    public string Domain { get; private init; } = "";

    public static OnnxNode Create(string opType, string name, string domain, List<string> inputs, List<string> outputs, List<OnnxAttribute> attributes) =>
        new(opType, inputs, outputs, attributes) { Name = name, Domain = domain };

    /// <summary>The same operation on other tensors.</summary>
    public OnnxNode With(IEnumerable<string> inputs, IEnumerable<string> outputs) =>
        new(OpType, inputs.ToList(), outputs.ToList(), Attributes.ToList()) { Name = Name, Domain = Domain };

    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public ProtoField ToField()
    {
        var fields = new List<ProtoField>();
        fields.AddRange(Inputs.Select(i => ProtoField.String(NodeInput, i)));
        fields.AddRange(Outputs.Select(o => ProtoField.String(NodeOutput, o)));
        fields.Add(ProtoField.String(NodeName, Name));
        fields.Add(ProtoField.String(NodeOpType, OpType));
        fields.AddRange(Attributes.Select(a => ProtoField.Bytes(NodeAttribute, a.ToBytes())));
        if (Domain.Length > 0)
        {
            fields.Add(ProtoField.String(NodeDomain, Domain));
        }
        return ProtoField.Bytes(OnnxFields.GraphNode, ProtoMessage.Write(fields));
    }
}

/// <summary>An ONNX AttributeProto: the scalar, list and string kinds tree ensembles use.</summary>
public sealed class OnnxAttribute
{
    private const int AttrName = 1;
    private const int AttrFloat = 2;
    private const int AttrInt = 3;
    private const int AttrString = 4;
    private const int AttrFloats = 7;
    private const int AttrInts = 8;
    private const int AttrStrings = 9;
    private const int AttrType = 20;
    private const int TypeFloat = 1;
    private const int TypeFloats = 6;
    private const int TypeInt = 2;
    private const int TypeString = 3;
    private const int TypeInts = 7;
    private const int TypeStrings = 8;

    private readonly List<ProtoField> _fields;

    public OnnxAttribute(byte[] payload)
    {
        _fields = ProtoMessage.Read(payload);
        Name = _fields.FirstOrDefault(f => f.Number == AttrName)?.Text ?? "";
    }

    private OnnxAttribute(string name, List<ProtoField> fields) => (Name, _fields) = (name, fields);

    public string Name { get; }
    public float FloatValue => BitConverter.UInt32BitsToSingle((uint)(_fields.FirstOrDefault(f => f.Number == AttrFloat)?.Value ?? 0));
    public long IntValue => (long)(_fields.FirstOrDefault(f => f.Number == AttrInt)?.Value ?? 0);
    public string StringValue => _fields.FirstOrDefault(f => f.Number == AttrString)?.Text ?? "";
    public IReadOnlyList<long> Ints => ProtoMessage.Ints(_fields, AttrInts).ToList();
    public IReadOnlyList<float> Floats => ProtoMessage.Floats(_fields, AttrFloats).ToList();
    public IReadOnlyList<byte[]> Strings => _fields.Where(f => f.Number == AttrStrings).Select(f => f.Payload).ToList();

    public static OnnxAttribute Int(string name, long value) =>
        new(name, [ProtoField.String(AttrName, name), ProtoField.Varint(AttrInt, value), ProtoField.Varint(AttrType, TypeInt)]);

    public static OnnxAttribute Float(string name, float value) =>
        new(name, [ProtoField.String(AttrName, name), ProtoField.Fixed32(AttrFloat, BitConverter.SingleToUInt32Bits(value)), ProtoField.Varint(AttrType, TypeFloat)]);

    public static OnnxAttribute String(string name, string value) =>
        new(name, [ProtoField.String(AttrName, name), ProtoField.String(AttrString, value), ProtoField.Varint(AttrType, TypeString)]);

    public static OnnxAttribute IntList(string name, IEnumerable<long> values) =>
        new(name, [ProtoField.String(AttrName, name), ProtoField.PackedInts(AttrInts, values), ProtoField.Varint(AttrType, TypeInts)]);

    public static OnnxAttribute FloatList(string name, IEnumerable<float> values) =>
        new(name, [ProtoField.String(AttrName, name), ProtoField.PackedFloats(AttrFloats, values), ProtoField.Varint(AttrType, TypeFloats)]);

    public static OnnxAttribute StringList(string name, IEnumerable<byte[]> values) =>
        new(name, [ProtoField.String(AttrName, name), .. values.Select(v => ProtoField.Bytes(AttrStrings, v)), ProtoField.Varint(AttrType, TypeStrings)]);

    public byte[] ToBytes() => ProtoMessage.Write(_fields);
}

/// <summary>An ONNX TensorProto initializer: its name, and its value when it is one float.</summary>
public sealed class OnnxTensor
{
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int Float = 1;

    public OnnxTensor(byte[] payload)
    {
        var fields = ProtoMessage.Read(payload);
        Name = fields.FirstOrDefault(f => f.Number == TensorName)?.Text ?? "";
        var dims = ProtoMessage.Ints(fields, TensorDims).ToArray();
        var isFloat = (long)(fields.FirstOrDefault(f => f.Number == TensorDataType)?.Value ?? 0) == Float;
        if (!isFloat || dims.Aggregate(1L, (a, b) => a * b) != 1)
        {
            return;
        }
        var values = ProtoMessage.Floats(fields, TensorFloatData).ToArray();
        var raw = fields.FirstOrDefault(f => f.Number == TensorRawData)?.Payload;
        Scalar = values.Length == 1 ? values[0] : raw is { Length: 4 } ? BitConverter.ToSingle(raw) : null;
    }

    public string Name { get; }

    /// <summary>The value of a one-element float tensor; null for anything else.</summary>
    public float? Scalar { get; }

    public static byte[] FloatVector(string name, IEnumerable<float> values)
    {
        var list = values.ToList();
        return ProtoMessage.Write(
        [
            ProtoField.PackedInts(TensorDims, [list.Count]),
            ProtoField.Varint(TensorDataType, Float),
            ProtoField.PackedFloats(TensorFloatData, list),
            ProtoField.String(TensorName, name),
        ]);
    }
}

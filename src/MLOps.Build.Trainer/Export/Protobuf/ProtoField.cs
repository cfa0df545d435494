using Google.Protobuf;

namespace MLOps.Build.Trainer.Export.Protobuf;

/// <summary>
/// One field of a protobuf message as it is on the wire. Graph rewrites work on fields rather than on generated
/// ONNX classes (ML.NET's are internal), keep everything they do not touch byte for byte, and stay deterministic.
/// </summary>
public sealed class ProtoField(uint tag, ulong value, byte[]? payload)
{
    public int Number => WireFormat.GetTagFieldNumber(tag);
    public WireFormat.WireType WireType => WireFormat.GetTagWireType(tag);
    public ulong Value => value;
    public byte[] Payload => payload ?? [];
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);

    public static ProtoField String(int number, string text) => Bytes(number, System.Text.Encoding.UTF8.GetBytes(text));

    public static ProtoField Bytes(int number, byte[] bytes) =>
        new(WireFormat.MakeTag(number, WireFormat.WireType.LengthDelimited), 0, bytes);

    public static ProtoField Varint(int number, long value) =>
        new(WireFormat.MakeTag(number, WireFormat.WireType.Varint), (ulong)value, null);

    public static ProtoField Fixed32(int number, uint value) =>
        new(WireFormat.MakeTag(number, WireFormat.WireType.Fixed32), value, null);

    public static ProtoField PackedInts(int number, IEnumerable<long> values) =>
        Bytes(number, ProtoMessage.Write(writer =>
        {
            foreach (var v in values)
            {
                writer.WriteInt64(v);
            }
        }));

    public static ProtoField PackedFloats(int number, IEnumerable<float> values) =>
        Bytes(number, ProtoMessage.Write(writer =>
        {
            foreach (var v in values)
            {
                writer.WriteFloat(v);
            }
        }));

    public void WriteTo(CodedOutputStream writer)
    {
        writer.WriteTag(tag);
        switch (WireType)
        {
            case WireFormat.WireType.Varint: writer.WriteUInt64(value); break;
            case WireFormat.WireType.Fixed64: writer.WriteFixed64(value); break;
            case WireFormat.WireType.Fixed32: writer.WriteFixed32((uint)value); break;
            default: writer.WriteBytes(ByteString.CopyFrom(Payload)); break;
        }
    }
}

public static class ProtoMessage
{
    public static List<ProtoField> Read(byte[] message)
    {
        var fields = new List<ProtoField>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wireType = WireFormat.GetTagWireType(tag);
            fields.Add(wireType switch
            {
                WireFormat.WireType.Varint => new ProtoField(tag, input.ReadUInt64(), null),
                WireFormat.WireType.Fixed64 => new ProtoField(tag, input.ReadFixed64(), null),
                WireFormat.WireType.Fixed32 => new ProtoField(tag, input.ReadFixed32(), null),
                WireFormat.WireType.LengthDelimited => new ProtoField(tag, 0, input.ReadBytes().ToByteArray()),
                _ => throw new InvalidDataException($"unsupported protobuf wire type {wireType}"),
            });
        }
        return fields;
    }

    public static byte[] Write(IEnumerable<ProtoField> fields) => Write(writer =>
    {
        foreach (var field in fields)
        {
            field.WriteTo(writer);
        }
    });

    public static byte[] Write(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var writer = new CodedOutputStream(stream);
        write(writer);
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>A repeated int64 field, packed or not.</summary>
    public static IEnumerable<long> Ints(IEnumerable<ProtoField> fields, int number)
    {
        foreach (var field in fields.Where(f => f.Number == number))
        {
            if (field.WireType == WireFormat.WireType.Varint)
            {
                yield return (long)field.Value;
                continue;
            }
            var input = new CodedInputStream(field.Payload);
            while (!input.IsAtEnd)
            {
                yield return input.ReadInt64();
            }
        }
    }

    /// <summary>A repeated float field, packed or not.</summary>
    public static IEnumerable<float> Floats(IEnumerable<ProtoField> fields, int number)
    {
        foreach (var field in fields.Where(f => f.Number == number))
        {
            if (field.WireType == WireFormat.WireType.Fixed32)
            {
                yield return BitConverter.UInt32BitsToSingle((uint)field.Value);
                continue;
            }
            var input = new CodedInputStream(field.Payload);
            while (!input.IsAtEnd)
            {
                yield return input.ReadFloat();
            }
        }
    }
}

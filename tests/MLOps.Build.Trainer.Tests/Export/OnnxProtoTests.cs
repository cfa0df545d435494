using System.Reflection;
using Google.Protobuf;
using MLOps.Build.Trainer.Export;
using MLOps.Onnx;

namespace MLOps.Build.Trainer.Tests.Export;

/// <summary>The ONNX classes generated from src/Shared/Onnx/onnx-ml.proto: complete enough to rewrite a model without losing a byte.</summary>
public sealed class OnnxProtoTests
{
    private static readonly string Fixtures = Path.Combine(
        typeof(OnnxProtoTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!,
        "tests", "Fixtures", "Models");

    [Theory]
    [InlineData("WeatherModel")]
    [InlineData("ChurnModel")]
    [InlineData("TenureModel")]
    public void Every_fixture_model_round_trips_byte_for_byte(string model)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, model, "model.onnx"));

        var parsed = ModelProto.Parser.ParseFrom(bytes);

        Assert.Empty(UnknownFieldsOf(parsed));
        Assert.Equal(bytes, parsed.ToByteArray());
    }

    [Fact]
    public void The_header_is_read_without_the_graph()
    {
        var info = OnnxGraphInfo.Read(File.ReadAllBytes(Path.Combine(Fixtures, "WeatherModel", "model.onnx")));

        Assert.Equal((6L, "ML.NET", 12L), (info.IrVersion, info.Producer, info.DefaultOpset));
        Assert.Contains("ai.onnx.ml", info.Opsets.Keys);
    }

    /// <summary>Fields the schema does not declare would be kept, but written after the known ones.</summary>
    private static IEnumerable<string> UnknownFieldsOf(IMessage message)
    {
        var unknown = message.GetType().GetField("_unknownFields", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(message);
        if (unknown is not null)
        {
            yield return message.Descriptor.FullName;
        }
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            var children = value switch
            {
                IMessage single => [single],
                System.Collections.IEnumerable list when field.FieldType == Google.Protobuf.Reflection.FieldType.Message => list.Cast<IMessage>(),
                _ => [],
            };
            foreach (var child in children)
            {
                foreach (var name in UnknownFieldsOf(child))
                {
                    yield return name;
                }
            }
        }
    }
}

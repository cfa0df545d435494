using System.Diagnostics.CodeAnalysis;
using MLOps.Onnx;

namespace MLOps.Runtime.Compiled;

/// <summary>
/// An ONNX model scored by MLOps.Build's own kernels instead of ONNX Runtime: tree ensembles as flat arrays walked
/// in C#, linear models, and the featurization ML.NET and other ONNX-ML exporters emit (see
/// <see cref="SupportedOperators"/>). Built once from the model's bytes; scoring is allocation-free and thread-safe
/// (each caller brings its own <see cref="CompiledScratch"/>). The build checks every model it trains or imports
/// against ONNX Runtime with this same code before it lets the generated class use it.
/// </summary>
/// <remarks>
/// For MLOps.Build's trainer, which checks a model's compiled scores at build time; hidden from IntelliSense. Public, not
/// internal with InternalsVisibleTo: the trainer compiles the same shared sources (src/Shared, the ONNX proto) as
/// internal types of its own, which would then collide.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CompiledModel
{
    private readonly Kernel[] _kernels;
    private readonly (int Offset, float[] Values)[] _numberConstants;
    private readonly (int Offset, string[] Values)[] _stringConstants;

    internal CompiledModel(Kernel[] kernels, int numberSlots, int stringSlots, (int, float[])[] numberConstants, (int, string[])[] stringConstants, CompiledTensor[] inputs, CompiledTensor[] outputs)
    {
        _kernels = kernels;
        NumberSlots = numberSlots;
        StringSlots = stringSlots;
        _numberConstants = numberConstants;
        _stringConstants = stringConstants;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The operators the compiled scorer implements (ONNX and ai.onnx.ml domains).</summary>
    public static IReadOnlyList<string> SupportedOperators => GraphCompiler.Operators;

    /// <summary>The graph's inputs, in graph order.</summary>
    public IReadOnlyList<CompiledTensor> Inputs { get; }

    /// <summary>The graph's outputs, in graph order.</summary>
    public IReadOnlyList<CompiledTensor> Outputs { get; }

    internal int NumberSlots { get; }

    internal int StringSlots { get; }

    /// <summary>Compiles ONNX bytes.</summary>
    /// <exception cref="NotSupportedException">The graph uses an operator, type or shape outside the compiled subset; the message names the node.</exception>
    public static CompiledModel Compile(byte[] onnx)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        return TryCompile(onnx, out var model, out var reason) ? model : throw new NotSupportedException(reason);
    }

    /// <summary>Compiles ONNX bytes, or says why the graph stays with ONNX Runtime.</summary>
    public static bool TryCompile(byte[] onnx, [NotNullWhen(true)] out CompiledModel? model, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            (model, reason) = (null, $"the bytes are not an ONNX model: {ex.Message}");
            return false;
        }
        try
        {
            model = GraphCompiler.Compile(proto);
            reason = null;
            return true;
        }
        catch (UnsupportedGraphException ex)
        {
            (model, reason) = (null, ex.Message);
            return false;
        }
    }

    /// <summary>Working memory for scoring one row at a time; one per thread (or per call).</summary>
    public CompiledScratch CreateScratch()
    {
        var scratch = new CompiledScratch(new float[NumberSlots], new string?[StringSlots]);
        foreach (var (offset, values) in _numberConstants)
        {
            values.CopyTo(scratch.Numbers, offset);
        }
        foreach (var (offset, values) in _stringConstants)
        {
            values.CopyTo(scratch.Strings, offset);
        }
        return scratch;
    }

    /// <summary>Scores the row whose inputs were written into <paramref name="scratch"/>.</summary>
    public void Run(CompiledScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        var numbers = scratch.Numbers.AsSpan();
        var strings = scratch.Strings.AsSpan();
        foreach (var kernel in _kernels)
        {
            kernel.Run(numbers, strings);
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> rows given as flat arrays by input name (float[], long[], int[], bool[] or
    /// string[], row after row) and returns every output the same way. For tests and tools; apps use the generated class.
    /// </summary>
    public IReadOnlyDictionary<string, Array> Run(IReadOnlyDictionary<string, Array> inputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scratch = CreateScratch();
        var results = Outputs.ToDictionary(o => o.Name, o => o.NewArray(rows));
        for (var row = 0; row < rows; row++)
        {
            foreach (var input in Inputs)
            {
                var values = inputs.TryGetValue(input.Name, out var v) ? v : throw new ArgumentException($"No values for input '{input.Name}'.", nameof(inputs));
                for (var i = 0; i < input.Width; i++)
                {
                    scratch.Write(input, i, values.GetValue((row * input.Width) + i));
                }
            }
            Run(scratch);
            foreach (var output in Outputs)
            {
                for (var i = 0; i < output.Width; i++)
                {
                    results[output.Name].SetValue(scratch.Read(output, i), (row * output.Width) + i);
                }
            }
        }
        return results;
    }
}

/// <summary>One row's working memory for a <see cref="CompiledModel"/>; not thread-safe, so one per thread.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CompiledScratch
{
    internal CompiledScratch(float[] numbers, string?[] strings) => (Numbers, Strings) = (numbers, strings);

    internal float[] Numbers { get; }

    internal string?[] Strings { get; }

    internal void Write(CompiledTensor input, int index, object? value)
    {
        if (input.IsString)
        {
            Strings[input.Offset + index] = (string?)value;
            return;
        }
        Numbers[input.Offset + index] = value switch
        {
            float f => f,
            long l => l,
            int n => n,
            bool b => b ? 1f : 0f,
            double d => (float)d,
            _ => throw new ArgumentException($"Input '{input.Name}' takes numbers, not {value?.GetType().Name ?? "null"}."),
        };
    }

    internal object? Read(CompiledTensor output, int index)
    {
        if (output.IsString)
        {
            return Strings[output.Offset + index];
        }
        var value = Numbers[output.Offset + index];
        return output.Type switch
        {
            ElementType.Int64 => (long)value,
            ElementType.Int32 => (int)value,
            ElementType.Bool => value != 0,
            _ => (object)value,
        };
    }
}

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

    /// <summary>
    /// Rows a block holds: up to 128, fewer where one row has many slots (a text model's n-gram vector), so that a
    /// block's numbers stay within 64 KiB.
    /// </summary>
    internal int BlockRows => Math.Clamp(BlockNumbers / Math.Max(NumberSlots, 1), 1, MaximumBlockRows);

    private const int MaximumBlockRows = 128;
    private const int BlockNumbers = 16 * 1024;

    /// <summary>Working memory for scoring <paramref name="capacity"/> rows at once (<see cref="RunRows"/>).</summary>
    internal CompiledBlock CreateBlock(int capacity)
    {
        var block = new CompiledBlock(capacity, NumberSlots, StringSlots);
        for (var row = 0; row < capacity; row++)
        {
            foreach (var (offset, values) in _numberConstants)
            {
                values.CopyTo(block.Numbers, (row * NumberSlots) + offset);
            }
            foreach (var (offset, values) in _stringConstants)
            {
                values.CopyTo(block.Strings, (row * StringSlots) + offset);
            }
        }
        return block;
    }

    /// <summary>
    /// Scores the first <paramref name="rows"/> rows of <paramref name="block"/>, each kernel over every row before
    /// the next kernel: a tree ensemble then scores the rows together (<see cref="Kernels.QuickScorerTrees"/>). Each
    /// row's results are the same bits as <see cref="Run(CompiledScratch)"/> gives it.
    /// </summary>
    internal void RunRows(CompiledBlock block, int rows)
    {
        var numbers = block.Numbers.AsSpan(0, rows * NumberSlots);
        var strings = block.Strings.AsSpan(0, rows * StringSlots);
        foreach (var kernel in _kernels)
        {
            kernel.RunRows(numbers, strings, rows, NumberSlots, StringSlots);
        }
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
    public IReadOnlyDictionary<string, Array> Run(IReadOnlyDictionary<string, Array> inputs, int rows) => Run(inputs, rows, inBlocks: false);

    /// <summary>
    /// As <see cref="Run(IReadOnlyDictionary{string, Array}, int)"/>; with <paramref name="inBlocks"/>, rows are scored
    /// in blocks as the generated class's <c>PredictBatch</c> scores them, which must give the same bits as one row at
    /// a time (the build checks it for every model it compiles).
    /// </summary>
    public IReadOnlyDictionary<string, Array> Run(IReadOnlyDictionary<string, Array> inputs, int rows, bool inBlocks)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inBlocks)
        {
            return RunInBlocks(inputs, rows);
        }
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

    private Dictionary<string, Array> RunInBlocks(IReadOnlyDictionary<string, Array> inputs, int rows)
    {
        var block = CreateBlock(Math.Max(1, Math.Min(rows, BlockRows)));
        var results = Outputs.ToDictionary(o => o.Name, o => o.NewArray(rows));
        for (var first = 0; first < rows; first += block.Capacity)
        {
            var count = Math.Min(block.Capacity, rows - first);
            for (var r = 0; r < count; r++)
            {
                foreach (var input in Inputs)
                {
                    var values = inputs.TryGetValue(input.Name, out var v) ? v : throw new ArgumentException($"No values for input '{input.Name}'.", nameof(inputs));
                    for (var i = 0; i < input.Width; i++)
                    {
                        block.Write(r, input, i, values.GetValue(((first + r) * input.Width) + i));
                    }
                }
            }
            RunRows(block, count);
            for (var r = 0; r < count; r++)
            {
                foreach (var output in Outputs)
                {
                    for (var i = 0; i < output.Width; i++)
                    {
                        results[output.Name].SetValue(block.Read(r, output, i), ((first + r) * output.Width) + i);
                    }
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

    internal void Write(CompiledTensor input, int index, object? value) => SlotValues.Write(Numbers, Strings, input, index, value);

    internal object? Read(CompiledTensor output, int index) => SlotValues.Read(Numbers, Strings, output, index);
}

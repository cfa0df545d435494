using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using MLOps.Runtime.Compiled;

namespace MLOps.Runtime;

/// <summary>A compiled model matched to the inputs and outputs a generated class addresses, by name, type and width.</summary>
internal sealed class CompiledBinding
{
    private CompiledBinding(CompiledModel model, CompiledTensor[] inputs, CompiledTensor[] outputs) =>
        (Model, Inputs, Outputs) = (model, inputs, outputs);

    // Blocks for batches of many rows, kept between calls: a block holds every row's constants, written once.
    private readonly ConcurrentBag<CompiledBlock> _blocks = [];

    public CompiledModel Model { get; }

    /// <summary>A block for one batch call; give it back with <see cref="ReturnBlock"/>.</summary>
    public CompiledBlock RentBlock() => _blocks.TryTake(out var block) ? block : Model.CreateBlock(Model.BlockRows);

    public void ReturnBlock(CompiledBlock block) => _blocks.Add(block);

    /// <summary>Per schema input, in schema order.</summary>
    public CompiledTensor[] Inputs { get; }

    /// <summary>Per schema output, in schema order.</summary>
    public CompiledTensor[] Outputs { get; }

    public static bool TryBind(CompiledModel model, ModelSchema schema, [NotNullWhen(true)] out CompiledBinding? binding, [NotNullWhen(false)] out string? reason)
    {
        (binding, reason) = (null, null);
        var inputs = new CompiledTensor[schema.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var wanted = schema.Inputs[i];
            var tensor = model.Inputs.FirstOrDefault(t => t.Name == wanted.Name);
            if (tensor is null || tensor.ElementType != ClrType(wanted.Kind) || tensor.Width != wanted.Width)
            {
                reason = $"the compiled graph's input '{wanted.Name}' does not match the class ({wanted.Kind} × {wanted.Width})";
                return false;
            }
            inputs[i] = tensor;
        }
        var outputs = new CompiledTensor[schema.Outputs.Count];
        for (var o = 0; o < outputs.Length; o++)
        {
            var wanted = schema.Outputs[o];
            var tensor = model.Outputs.FirstOrDefault(t => t.Name == wanted.Name);
            if (tensor is null || tensor.ElementType != ClrType(wanted.Kind) || (wanted.Width >= 0 && tensor.Width != wanted.Width))
            {
                reason = $"the compiled graph's output '{wanted.Name}' does not match the class ({wanted.Kind} × {wanted.Width})";
                return false;
            }
            outputs[o] = tensor;
        }
        binding = new CompiledBinding(model, inputs, outputs);
        return true;
    }

    private static Type ClrType(TensorKind kind) => kind switch
    {
        TensorKind.Float => typeof(float),
        TensorKind.Int64 => typeof(long),
        TensorKind.Int32 => typeof(int),
        TensorKind.Bool => typeof(bool),
        TensorKind.String => typeof(string),
        _ => typeof(double),
    };
}

using MLOps.Runtime.Compiled;

namespace MLOps.Runtime;

public sealed partial class ModelBatch
{
    // The batch's own working row and results: a thread's one-row batch scores call after call into the same memory
    // and the same results object without allocating (ModelResults states what that means for a reader), and the
    // compiled model itself is shared by every thread.
    private CompiledScratch? _scratch;
    private ModelResults? _compiledResults;

    private ModelResults RunCompiled(CompiledBinding binding)
    {
        var scratch = _scratch ??= binding.Model.CreateScratch();
        var results = _compiledResults ??= new ModelResults(
            binding.Outputs.Select(o => o.NewArray(Rows)).ToArray(), Rows, _session.Schema,
            binding.Outputs.Select(o => o.RowShape.Select(d => (long)d).ToArray()).ToArray());
        results.Renew();
        var numbers = scratch.Numbers;
        var strings = scratch.Strings;
        for (var row = 0; row < Rows; row++)
        {
            for (var i = 0; i < binding.Inputs.Length; i++)
            {
                var tensor = binding.Inputs[i];
                var width = tensor.Width;
                var from = row * width;
                switch (_columns[i])
                {
                    case float[] f:
                        f.AsSpan(from, width).CopyTo(numbers.AsSpan(tensor.Offset, width));
                        break;
                    case long[] l:
                        for (var k = 0; k < width; k++)
                        {
                            numbers[tensor.Offset + k] = l[from + k];
                        }
                        break;
                    case int[] n:
                        for (var k = 0; k < width; k++)
                        {
                            numbers[tensor.Offset + k] = n[from + k];
                        }
                        break;
                    case bool[] b:
                        for (var k = 0; k < width; k++)
                        {
                            numbers[tensor.Offset + k] = b[from + k] ? 1f : 0f;
                        }
                        break;
                    default:
                        _strings[i].AsSpan(from, width).CopyTo(strings.AsSpan(tensor.Offset, width));
                        break;
                }
            }
            binding.Model.Run(scratch);
            for (var o = 0; o < binding.Outputs.Length; o++)
            {
                var tensor = binding.Outputs[o];
                var width = tensor.Width;
                var to = row * width;
                switch (results.Materialized(o))
                {
                    case float[] f:
                        numbers.AsSpan(tensor.Offset, width).CopyTo(f.AsSpan(to, width));
                        break;
                    case long[] l:
                        for (var k = 0; k < width; k++)
                        {
                            l[to + k] = (long)numbers[tensor.Offset + k];
                        }
                        break;
                    case int[] n:
                        for (var k = 0; k < width; k++)
                        {
                            n[to + k] = (int)numbers[tensor.Offset + k];
                        }
                        break;
                    case bool[] b:
                        for (var k = 0; k < width; k++)
                        {
                            b[to + k] = numbers[tensor.Offset + k] != 0;
                        }
                        break;
                    case string[] s:
                        for (var k = 0; k < width; k++)
                        {
                            s[to + k] = strings[tensor.Offset + k] ?? "";
                        }
                        break;
                }
            }
        }
        return results;
    }
}

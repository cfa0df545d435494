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
        var results = _compiledResults ??= new ModelResults(
            binding.Outputs.Select(o => o.NewArray(Rows)).ToArray(), Rows, _session.Schema,
            binding.Outputs.Select(o => o.RowShape.Select(d => (long)d).ToArray()).ToArray());
        results.Renew();
        if (Rows == 1)
        {
            var scratch = _scratch ??= binding.Model.CreateScratch();
            CopyIn(binding, 0, scratch.Numbers, scratch.Strings);
            binding.Model.Run(scratch);
            CopyOut(binding, 0, scratch.Numbers, scratch.Strings, results);
            return results;
        }
        // Many rows: block after block, each kernel over the whole block (the same bits as row by row).
        var block = binding.RentBlock();
        try
        {
            for (var first = 0; first < Rows; first += block.Capacity)
            {
                var count = Math.Min(block.Capacity, Rows - first);
                for (var row = 0; row < count; row++)
                {
                    CopyIn(binding, first + row, block.Numbers.AsSpan(row * block.NumberStride, block.NumberStride), block.Strings.AsSpan(row * block.StringStride, block.StringStride));
                }
                binding.Model.RunRows(block, count);
                for (var row = 0; row < count; row++)
                {
                    CopyOut(binding, first + row, block.Numbers.AsSpan(row * block.NumberStride, block.NumberStride), block.Strings.AsSpan(row * block.StringStride, block.StringStride), results);
                }
            }
        }
        finally
        {
            binding.ReturnBlock(block);
        }
        return results;
    }

    /// <summary>Row <paramref name="row"/> of the batch's columns into one row's slots.</summary>
    private void CopyIn(CompiledBinding binding, int row, Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < binding.Inputs.Length; i++)
        {
            var tensor = binding.Inputs[i];
            var width = tensor.Width;
            var from = row * width;
            switch (_columns[i])
            {
                case float[] f:
                    f.AsSpan(from, width).CopyTo(numbers.Slice(tensor.Offset, width));
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
                    _strings[i].AsSpan(from, width).CopyTo(strings.Slice(tensor.Offset, width));
                    break;
            }
        }
    }

    /// <summary>One row's output slots into row <paramref name="row"/> of the results.</summary>
    private static void CopyOut(CompiledBinding binding, int row, ReadOnlySpan<float> numbers, ReadOnlySpan<string?> strings, ModelResults results)
    {
        for (var o = 0; o < binding.Outputs.Length; o++)
        {
            var tensor = binding.Outputs[o];
            var width = tensor.Width;
            var to = row * width;
            switch (results.Materialized(o))
            {
                case float[] f:
                    numbers.Slice(tensor.Offset, width).CopyTo(f.AsSpan(to, width));
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
}

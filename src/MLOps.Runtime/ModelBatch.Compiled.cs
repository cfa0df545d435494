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
            CopyIn(binding, 0, 1, scratch.Numbers, scratch.Strings, scratch.Numbers.Length, scratch.Strings.Length);
            binding.Model.Run(scratch);
            CopyOut(binding, 0, 1, scratch.Numbers, scratch.Strings, scratch.Numbers.Length, scratch.Strings.Length, results);
            return results;
        }
        // Many rows: block after block, each kernel over the whole block (the same bits as row by row).
        var block = binding.RentBlock();
        try
        {
            for (var first = 0; first < Rows; first += block.Capacity)
            {
                var count = Math.Min(block.Capacity, Rows - first);
                CopyIn(binding, first, count, block.Numbers, block.Strings, block.NumberStride, block.StringStride);
                binding.Model.RunRows(block, count);
                CopyOut(binding, first, count, block.Numbers, block.Strings, block.NumberStride, block.StringStride, results);
            }
        }
        finally
        {
            binding.ReturnBlock(block);
        }
        return results;
    }

    /// <summary>
    /// Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> of the batch's columns into
    /// consecutive rows' slots (row r's at r × stride). A column's type is looked at once, not once a row: with a dozen
    /// inputs, the type tests per row cost about as much as the copies.
    /// </summary>
    private void CopyIn(CompiledBinding binding, int first, int count, Span<float> numbers, Span<string?> strings, int numberStride, int stringStride)
    {
        for (var i = 0; i < binding.Inputs.Length; i++)
        {
            var tensor = binding.Inputs[i];
            var width = tensor.Width;
            switch (_columns[i])
            {
                case float[] f:
                    for (var row = 0; row < count; row++)
                    {
                        f.AsSpan((first + row) * width, width).CopyTo(numbers.Slice((row * numberStride) + tensor.Offset, width));
                    }
                    break;
                case long[] l:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((first + row) * width, (row * numberStride) + tensor.Offset);
                        for (var k = 0; k < width; k++)
                        {
                            numbers[to + k] = l[from + k];
                        }
                    }
                    break;
                case int[] n:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((first + row) * width, (row * numberStride) + tensor.Offset);
                        for (var k = 0; k < width; k++)
                        {
                            numbers[to + k] = n[from + k];
                        }
                    }
                    break;
                case bool[] b:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((first + row) * width, (row * numberStride) + tensor.Offset);
                        for (var k = 0; k < width; k++)
                        {
                            numbers[to + k] = b[from + k] ? 1f : 0f;
                        }
                    }
                    break;
                default:
                    for (var row = 0; row < count; row++)
                    {
                        _strings[i].AsSpan((first + row) * width, width).CopyTo(strings.Slice((row * stringStride) + tensor.Offset, width));
                    }
                    break;
            }
        }
    }

    /// <summary>Consecutive rows' output slots into rows <paramref name="first"/> on of the results, a column's type looked at once.</summary>
    private static void CopyOut(CompiledBinding binding, int first, int count, ReadOnlySpan<float> numbers, ReadOnlySpan<string?> strings, int numberStride, int stringStride, ModelResults results)
    {
        for (var o = 0; o < binding.Outputs.Length; o++)
        {
            var tensor = binding.Outputs[o];
            var width = tensor.Width;
            switch (results.Materialized(o))
            {
                case float[] f:
                    for (var row = 0; row < count; row++)
                    {
                        numbers.Slice((row * numberStride) + tensor.Offset, width).CopyTo(f.AsSpan((first + row) * width, width));
                    }
                    break;
                case long[] l:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((row * numberStride) + tensor.Offset, (first + row) * width);
                        for (var k = 0; k < width; k++)
                        {
                            l[to + k] = (long)numbers[from + k];
                        }
                    }
                    break;
                case int[] n:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((row * numberStride) + tensor.Offset, (first + row) * width);
                        for (var k = 0; k < width; k++)
                        {
                            n[to + k] = (int)numbers[from + k];
                        }
                    }
                    break;
                case bool[] b:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((row * numberStride) + tensor.Offset, (first + row) * width);
                        for (var k = 0; k < width; k++)
                        {
                            b[to + k] = numbers[from + k] != 0;
                        }
                    }
                    break;
                case string[] s:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((row * stringStride) + tensor.Offset, (first + row) * width);
                        for (var k = 0; k < width; k++)
                        {
                            s[to + k] = strings[from + k] ?? "";
                        }
                    }
                    break;
            }
        }
    }
}

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
            var (offset, width) = (binding.Inputs[i].Offset, binding.Inputs[i].Width);
            switch (_columns[i])
            {
                case float[] f when width == 1:
                    // A one-number column: element by element (a block copy's call costs more than the copy).
                    for (var row = 0; row < count; row++)
                    {
                        numbers[(row * numberStride) + offset] = f[first + row];
                    }
                    break;
                case float[] f:
                    // Floats are the slots' own type: a block copy (an image input is 150,528 of them a row).
                    for (var row = 0; row < count; row++)
                    {
                        f.AsSpan((first + row) * width, width).CopyTo(numbers.Slice((row * numberStride) + offset, width));
                    }
                    break;
                case long[] l:
                    ToSlots<long, Int64Slot>(l, first, count, width, numbers, numberStride, offset);
                    break;
                case int[] n:
                    ToSlots<int, Int32Slot>(n, first, count, width, numbers, numberStride, offset);
                    break;
                case bool[] b:
                    ToSlots<bool, BoolSlot>(b, first, count, width, numbers, numberStride, offset);
                    break;
                default:
                    CopyStrings(_strings[i]!, first, count, width, strings, stringStride, offset);
                    break;
            }
        }
    }

    /// <summary>Consecutive rows' output slots into rows <paramref name="first"/> on of the results, a column's type looked at once.</summary>
    private static void CopyOut(CompiledBinding binding, int first, int count, ReadOnlySpan<float> numbers, ReadOnlySpan<string?> strings, int numberStride, int stringStride, ModelResults results)
    {
        for (var o = 0; o < binding.Outputs.Length; o++)
        {
            var (offset, width) = (binding.Outputs[o].Offset, binding.Outputs[o].Width);
            switch (results.Materialized(o))
            {
                case float[] f when width == 1:
                    for (var row = 0; row < count; row++)
                    {
                        f[first + row] = numbers[(row * numberStride) + offset];
                    }
                    break;
                case float[] f:
                    for (var row = 0; row < count; row++)
                    {
                        numbers.Slice((row * numberStride) + offset, width).CopyTo(f.AsSpan((first + row) * width, width));
                    }
                    break;
                case long[] l:
                    FromSlots<long, Int64Slot>(numbers, numberStride, offset, l, first, count, width);
                    break;
                case int[] n:
                    FromSlots<int, Int32Slot>(numbers, numberStride, offset, n, first, count, width);
                    break;
                case bool[] b:
                    FromSlots<bool, BoolSlot>(numbers, numberStride, offset, b, first, count, width);
                    break;
                case string[] s:
                    for (var row = 0; row < count; row++)
                    {
                        var (from, to) = ((row * stringStride) + offset, (first + row) * width);
                        for (var k = 0; k < width; k++)
                        {
                            s[to + k] = strings[from + k] ?? "";
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>A string column's rows into the block; a one-string column element by element, as a one-number column.</summary>
    private static void CopyStrings(string?[] column, int first, int count, int width, Span<string?> strings, int stride, int offset)
    {
        if (width == 1)
        {
            for (var row = 0; row < count; row++)
            {
                strings[(row * stride) + offset] = column[first + row];
            }
            return;
        }
        for (var row = 0; row < count; row++)
        {
            column.AsSpan((first + row) * width, width).CopyTo(strings.Slice((row * stride) + offset, width));
        }
    }

    private static void ToSlots<T, TSlot>(T[] column, int first, int count, int width, Span<float> numbers, int stride, int offset)
        where TSlot : ISlotType<T>
    {
        for (var row = 0; row < count; row++)
        {
            var (from, to) = ((first + row) * width, (row * stride) + offset);
            for (var k = 0; k < width; k++)
            {
                numbers[to + k] = TSlot.ToSlot(column[from + k]);
            }
        }
    }

    private static void FromSlots<T, TSlot>(ReadOnlySpan<float> numbers, int stride, int offset, T[] column, int first, int count, int width)
        where TSlot : ISlotType<T>
    {
        for (var row = 0; row < count; row++)
        {
            var (from, to) = ((row * stride) + offset, (first + row) * width);
            for (var k = 0; k < width; k++)
            {
                column[to + k] = TSlot.FromSlot(numbers[from + k]);
            }
        }
    }
}

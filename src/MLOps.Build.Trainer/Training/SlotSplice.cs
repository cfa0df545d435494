using Microsoft.ML.Data;

namespace MLOps.Build.Trainer.Training;

/// <summary>One row's feature vector with a range of slots taken from another row's, dense or sparse alike.</summary>
public static class SlotSplice
{
    /// <summary>
    /// <paramref name="own"/>'s slots outside [<paramref name="start"/>, <paramref name="end"/>) and
    /// <paramref name="donor"/>'s inside it, into <paramref name="result"/> (dense when both are).
    /// </summary>
    public static void Combine(in VBuffer<float> own, in VBuffer<float> donor, int start, int end, ref VBuffer<float> result)
    {
        if (own.Length != donor.Length || start < 0 || end > own.Length || start > end)
        {
            throw new ArgumentException($"Slots [{start}, {end}) of vectors of {own.Length} and {donor.Length} slots.");
        }
        if (own.IsDense && donor.IsDense)
        {
            var dense = VBufferEditor.Create(ref result, own.Length);
            own.GetValues().CopyTo(dense.Values);
            donor.GetValues()[start..end].CopyTo(dense.Values[start..end]);
            result = dense.Commit();
            return;
        }
        var count = Count(own, 0, start) + Count(donor, start, end) + Count(own, end, own.Length);
        var editor = VBufferEditor.Create(ref result, own.Length, count, requireIndicesOnDense: true);
        var written = Append(own, 0, start, editor, 0);
        written = Append(donor, start, end, editor, written);
        Append(own, end, own.Length, editor, written);
        result = editor.Commit();
    }

    private static int Count(in VBuffer<float> vector, int start, int end) =>
        vector.IsDense ? end - start : Bounds(vector.GetIndices(), start, end).Count;

    /// <summary>Writes the vector's entries in [start, end) from position <paramref name="written"/> on, sparse-style; returns the new position.</summary>
    private static int Append(in VBuffer<float> vector, int start, int end, VBufferEditor<float> into, int written)
    {
        var values = vector.GetValues();
        if (vector.IsDense)
        {
            for (var slot = start; slot < end; slot++, written++)
            {
                into.Indices[written] = slot;
                into.Values[written] = values[slot];
            }
            return written;
        }
        var indices = vector.GetIndices();
        var (first, count) = Bounds(indices, start, end);
        indices.Slice(first, count).CopyTo(into.Indices[written..]);
        values.Slice(first, count).CopyTo(into.Values[written..]);
        return written + count;
    }

    private static (int First, int Count) Bounds(ReadOnlySpan<int> sortedIndices, int start, int end)
    {
        var first = LowerBound(sortedIndices, start);
        return (first, LowerBound(sortedIndices, end) - first);
    }

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        var found = sorted.BinarySearch(value);
        return found >= 0 ? found : ~found;
    }
}

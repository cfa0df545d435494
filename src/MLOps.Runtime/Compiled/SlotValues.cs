namespace MLOps.Runtime.Compiled;

/// <summary>Boxed values into and out of one row's slots: the conversions of the tools' dictionary API, in one place.</summary>
internal static class SlotValues
{
    public static void Write(Span<float> numbers, Span<string?> strings, CompiledTensor input, int index, object? value)
    {
        if (input.IsString)
        {
            strings[input.Offset + index] = (string?)value;
            return;
        }
        numbers[input.Offset + index] = value switch
        {
            float f => f,
            long l => l,
            int n => n,
            bool b => b ? 1f : 0f,
            double d => (float)d,
            _ => throw new ArgumentException($"Input '{input.Name}' takes numbers, not {value?.GetType().Name ?? "null"}."),
        };
    }

    public static object? Read(ReadOnlySpan<float> numbers, ReadOnlySpan<string?> strings, CompiledTensor output, int index)
    {
        if (output.IsString)
        {
            return strings[output.Offset + index];
        }
        var value = numbers[output.Offset + index];
        return output.Type switch
        {
            ElementType.Int64 => (long)value,
            ElementType.Int32 => (int)value,
            ElementType.Bool => value != 0,
            _ => (object)value,
        };
    }
}

namespace MLOps.Runtime.Compiled;

/// <summary>
/// How a tensor element type is held in a float slot and read back: numbers as they are, integers truncated back,
/// booleans as 1 or 0 (anything but zero is true). One struct per type, so a generic copy is specialized by the JIT.
/// </summary>
internal interface ISlotType<T>
{
    static abstract float ToSlot(T value);

    static abstract T FromSlot(float slot);
}

internal readonly struct Int64Slot : ISlotType<long>
{
    public static float ToSlot(long value) => value;

    public static long FromSlot(float slot) => (long)slot;
}

internal readonly struct Int32Slot : ISlotType<int>
{
    public static float ToSlot(int value) => value;

    public static int FromSlot(float slot) => (int)slot;
}

internal readonly struct BoolSlot : ISlotType<bool>
{
    public static float ToSlot(bool value) => value ? 1f : 0f;

    public static bool FromSlot(float slot) => slot != 0;
}

/// <summary>Boxed values into and out of one row's slots: the conversions of the tools' dictionary API.</summary>
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
            long l => Int64Slot.ToSlot(l),
            int n => Int32Slot.ToSlot(n),
            bool b => BoolSlot.ToSlot(b),
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
            ElementType.Int64 => Int64Slot.FromSlot(value),
            ElementType.Int32 => Int32Slot.FromSlot(value),
            ElementType.Bool => BoolSlot.FromSlot(value),
            _ => (object)value,
        };
    }
}

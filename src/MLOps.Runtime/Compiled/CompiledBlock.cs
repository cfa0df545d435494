namespace MLOps.Runtime.Compiled;

/// <summary>
/// Working memory for scoring up to <see cref="Capacity"/> rows at once: each row's slots laid out as one row's
/// <see cref="CompiledScratch"/>, row after row, constants written into every row once. Not thread-safe.
/// </summary>
internal sealed class CompiledBlock
{
    internal CompiledBlock(int capacity, int numberSlots, int stringSlots)
    {
        Capacity = capacity;
        NumberStride = numberSlots;
        StringStride = stringSlots;
        Numbers = new float[capacity * numberSlots];
        Strings = new string?[capacity * stringSlots];
    }

    public int Capacity { get; }

    public int NumberStride { get; }

    public int StringStride { get; }

    public float[] Numbers { get; }

    public string?[] Strings { get; }

    internal void Write(int row, CompiledTensor input, int index, object? value) =>
        SlotValues.Write(Numbers.AsSpan(row * NumberStride, NumberStride), Strings.AsSpan(row * StringStride, StringStride), input, index, value);

    internal object? Read(int row, CompiledTensor output, int index) =>
        SlotValues.Read(Numbers.AsSpan(row * NumberStride, NumberStride), Strings.AsSpan(row * StringStride, StringStride), output, index);
}

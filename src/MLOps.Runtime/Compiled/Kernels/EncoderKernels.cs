namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>LabelEncoder or CategoryMapper from strings to numbers; a missing string (null) is the empty string, as ONNX Runtime receives it.</summary>
internal sealed class StringToNumberKernel(int input, int output, int width, Dictionary<string, float> map, float fallback) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = map.TryGetValue(strings[input + i] ?? "", out var value) ? value : fallback;
        }
    }
}

/// <summary>LabelEncoder or CategoryMapper from numbers (integer keys compared after truncation, float keys as they are) to strings.</summary>
internal sealed class NumberToStringKernel(int input, int output, int width, Dictionary<float, string> map, string fallback) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            strings[output + i] = map.TryGetValue(numbers[input + i], out var value) ? value : fallback;
        }
    }
}

/// <summary>LabelEncoder between numbers.</summary>
internal sealed class NumberToNumberKernel(int input, int output, int width, Dictionary<float, float> map, float fallback) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = map.TryGetValue(numbers[input + i], out var value) ? value : fallback;
        }
    }
}

/// <summary>LabelEncoder between strings.</summary>
internal sealed class StringToStringKernel(int input, int output, int width, Dictionary<string, string> map, string fallback) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            strings[output + i] = map.TryGetValue(strings[input + i] ?? "", out var value) ? value : fallback;
        }
    }
}

/// <summary>
/// OneHotEncoder with zeros=1: each input value becomes a row of <c>categories</c> slots with a 1 at its category,
/// all zeros when unseen. Numeric inputs are truncated to int64 first, as ONNX Runtime does.
/// </summary>
internal sealed class OneHotKernel(int input, int output, int width, int categories, Dictionary<float, int>? numberIndex, Dictionary<string, int>? stringIndex) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        numbers.Slice(output, width * categories).Clear();
        for (var i = 0; i < width; i++)
        {
            var found = stringIndex is not null
                ? stringIndex.TryGetValue(strings[input + i] ?? "", out var index)
                : numberIndex!.TryGetValue(MathF.Truncate(numbers[input + i]), out index);
            if (found)
            {
                numbers[output + (i * categories) + index] = 1f;
            }
        }
    }
}

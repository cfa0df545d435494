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

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        for (var row = 0; row < rows; row++)
        {
            numbers[(row * numberStride) + output] = map.TryGetValue(strings[(row * stringStride) + input] ?? "", out var value) ? value : fallback;
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
    // Number categories 0 to n − 1 (an index a LabelEncoder made, ML.NET's one-hot path): looked up in an array.
    private readonly int[]? _byNumber = Dense(numberIndex);

    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        numbers.Slice(output, width * categories).Clear();
        for (var i = 0; i < width; i++)
        {
            if ((stringIndex is null ? NumberCategory(numbers[input + i]) : StringCategory(strings[input + i])) is var index and >= 0)
            {
                numbers[output + (i * categories) + index] = 1f;
            }
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        for (var row = 0; row < rows; row++)
        {
            var at = row * numberStride;
            var index = stringIndex is null ? NumberCategory(numbers[at + input]) : StringCategory(strings[(row * stringStride) + input]);
            for (var c = 0; c < categories; c++)
            {
                numbers[at + output + c] = c == index ? 1f : 0f;
            }
        }
    }

    /// <summary>A category's index, or −1 when it has none.</summary>
    private int StringCategory(string? text) => stringIndex!.TryGetValue(text ?? "", out var index) ? index : -1;

    /// <summary>A number's category, or −1 when it has none: truncated to an integer first, as ONNX Runtime does.</summary>
    private int NumberCategory(float number)
    {
        var key = MathF.Truncate(number);
        if (_byNumber is not null)
        {
            // NaN fails both comparisons.
            return key >= 0 && key < _byNumber.Length ? _byNumber[(int)key] : -1;
        }
        return numberIndex!.TryGetValue(key, out var index) ? index : -1;
    }

    private static int[]? Dense(Dictionary<float, int>? index)
    {
        if (index is null || !index.Keys.All(k => k >= 0 && k < index.Count && k == MathF.Truncate(k)))
        {
            return null;
        }
        var dense = new int[index.Count];
        foreach (var (key, category) in index)
        {
            dense[(int)key] = category;
        }
        return dense;
    }
}

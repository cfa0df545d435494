namespace MLOps.Runtime.Compiled;

/// <summary>A graph input or output of a <see cref="CompiledModel"/>: its name and the values one row holds.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CompiledTensor
{
    internal CompiledTensor(string name, ElementType type, int offset, int width, int[] rowShape)
    {
        Name = name;
        Type = type;
        Offset = offset;
        Width = width;
        RowShape = rowShape;
    }

    /// <summary>The ONNX name.</summary>
    public string Name { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>The shape of one row (the row axis excluded).</summary>
    public IReadOnlyList<int> RowShape { get; }

    /// <summary>The .NET element type fed or returned: float, long, int, bool or string.</summary>
    public Type ElementType => Type switch
    {
        Compiled.ElementType.Float => typeof(float),
        Compiled.ElementType.Int64 => typeof(long),
        Compiled.ElementType.Int32 => typeof(int),
        Compiled.ElementType.Bool => typeof(bool),
        _ => typeof(string),
    };

    internal ElementType Type { get; }

    /// <summary>An array of this tensor's .NET element type for <paramref name="rows"/> rows.</summary>
    internal Array NewArray(int rows) => Type switch
    {
        Compiled.ElementType.Float => new float[rows * Width],
        Compiled.ElementType.Int64 => new long[rows * Width],
        Compiled.ElementType.Int32 => new int[rows * Width],
        Compiled.ElementType.Bool => new bool[rows * Width],
        _ => new string[rows * Width],
    };

    internal int Offset { get; }

    internal bool IsString => Type == Compiled.ElementType.String;
}

namespace MLOps.Runtime.Compiled;

/// <summary>The element types the compiled scorer carries. Every number lives in a float slot; see <see cref="GraphCompiler"/>.</summary>
internal enum ElementType
{
    Float,
    Int64,
    Int32,
    Bool,
    String,
}

/// <summary>
/// One named value of the graph as the compiled scorer lays it out: <see cref="Width"/> slots per row from
/// <see cref="Offset"/> in the number or the string scratch. <see cref="Batched"/> values have a leading row axis;
/// constants (initializers) do not and are written into the scratch once, when it is created.
/// </summary>
internal sealed record GraphValue(string Name, ElementType Type, int Offset, int[] RowShape, bool Batched)
{
    public int Width { get; } = RowShape.Aggregate(1, (a, b) => a * b);

    public bool IsString => Type == ElementType.String;

    public bool IsNumber => !IsString;
}

namespace MLOps.Runtime;

/// <summary>
/// One row's tensor whose shape is known only at run time: an input with several dynamic dimensions, or an output
/// with any. The data is row-major; its length is the product of <see cref="Shape"/>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <remarks>Named apart from ONNX Runtime's and System.Numerics' <c>Tensor&lt;T&gt;</c>, which an app may import too.</remarks>
public sealed class ModelTensor<T>
{
    /// <summary>Creates a tensor over <paramref name="data"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The data's length is not the product of the shape.</exception>
    public ModelTensor(T[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var elements = shape.Aggregate(1L, (a, b) => a * b);
        if (shape.Any(d => d < 0) || elements != data.Length)
        {
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", shape)}] holds {elements} values; the data holds {data.Length}.", nameof(data));
        }
        Data = data;
        Shape = shape;
    }

    /// <summary>The values, row-major.</summary>
    public T[] Data { get; }

    /// <summary>The dimensions of this row's tensor (the row axis excluded).</summary>
    public IReadOnlyList<long> Shape { get; }
}

namespace MLOps.Runtime.Compiled;

/// <summary>One graph node, compiled: reads and writes slots of one row's scratch.</summary>
internal abstract class Kernel
{
    public abstract void Run(Span<float> numbers, Span<string?> strings);

    /// <summary>
    /// Runs <paramref name="rows"/> rows laid out one after another (row r's slots from r × stride). Kernels that gain
    /// from seeing many rows at once override it; each row's results must be the same bits as <see cref="Run"/>'s.
    /// </summary>
    public virtual void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        for (var row = 0; row < rows; row++)
        {
            Run(numbers.Slice(row * numberStride, numberStride), strings.Slice(row * stringStride, stringStride));
        }
    }
}

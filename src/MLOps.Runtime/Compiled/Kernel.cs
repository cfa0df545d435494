namespace MLOps.Runtime.Compiled;

/// <summary>One graph node, compiled: reads and writes slots of one row's scratch.</summary>
internal abstract class Kernel
{
    public abstract void Run(Span<float> numbers, Span<string?> strings);
}

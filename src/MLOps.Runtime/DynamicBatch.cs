using Microsoft.ML.OnnxRuntime;

namespace MLOps.Runtime;

/// <summary>
/// Input buffers for one call to a graph with dynamic dimensions (<c>[batch, sequence]</c>): each row's values and
/// shape are given as they come, the tensor is shaped by the first row, and every further row must share that shape
/// (<see cref="ShapeGroups"/> groups rows that way).
/// </summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class DynamicBatch
{
    private readonly ModelSession _session;
    private readonly Array?[] _data;
    private readonly long[]?[] _shapes;

    internal DynamicBatch(ModelSession session, int rows)
    {
        _session = session;
        Rows = rows;
        _data = new Array?[session.Schema.Inputs.Count];
        _shapes = new long[]?[session.Schema.Inputs.Count];
    }

    /// <summary>Rows in this batch.</summary>
    public int Rows { get; }

    /// <summary>Sets row <paramref name="row"/> of input <paramref name="input"/>.</summary>
    /// <param name="input">The input's index in the schema.</param>
    /// <param name="row">The row within this batch.</param>
    /// <param name="values">The row's values, row-major.</param>
    /// <param name="rowShape">The row's shape; its product must be the number of values.</param>
    /// <param name="property">The Input property, for messages.</param>
    public void Set<T>(int input, int row, ReadOnlySpan<T> values, ReadOnlySpan<long> rowShape, string property)
    {
        var elements = 1L;
        foreach (var d in rowShape)
        {
            elements *= d;
        }
        if (elements != values.Length)
        {
            throw new ArgumentException($"Input.{property} holds {values.Length} values; its shape [{string.Join(", ", rowShape.ToArray())}] needs {elements}.", property);
        }
        var declared = _session.Schema.Inputs[input].RowDimensions;
        var fits = declared.Count == rowShape.Length;
        for (var d = 0; fits && d < rowShape.Length; d++)
        {
            fits = declared[d] < 0 || declared[d] == rowShape[d];
        }
        if (!fits)
        {
            throw new ArgumentException($"Input.{property} has shape [{string.Join(", ", rowShape.ToArray())}]; the model takes [{string.Join(", ", declared.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}].", property);
        }
        if (_shapes[input] is null)
        {
            _shapes[input] = rowShape.ToArray();
            _data[input] = new T[Rows * values.Length];
        }
        else if (!rowShape.SequenceEqual(_shapes[input]))
        {
            throw new ArgumentException($"Input.{property} of row {row} has shape [{string.Join(", ", rowShape.ToArray())}], unlike row 0's [{string.Join(", ", _shapes[input]!)}]: one call scores rows of one shape.", property);
        }
        values.CopyTo(((T[])_data[input]!).AsSpan(row * values.Length, values.Length));
    }

    /// <summary>
    /// The row shape of an array of <paramref name="length"/> values for a declared row shape with one dynamic (−1)
    /// dimension: that dimension is what the other dimensions leave. <see cref="Set"/> rejects a length they do not divide.
    /// </summary>
    public static long[] ShapeFor(ReadOnlySpan<long> declared, int length)
    {
        var shape = declared.ToArray();
        var known = 1L;
        var dynamic = -1;
        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0)
            {
                dynamic = d;
            }
            else
            {
                known *= shape[d];
            }
        }
        if (dynamic >= 0)
        {
            shape[dynamic] = known == 0 ? 0 : length / known;
        }
        return shape;
    }

    /// <summary>Scores the batch. Dispose the result when its values have been read.</summary>
    public ModelResults Run()
    {
        var inputs = _session.Schema.Inputs;
        CheckNamedDimensions(inputs);
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var rowShape = _shapes[i] ?? throw new InvalidOperationException($"Input '{inputs[i].Name}' was not set.");
                var shape = new long[rowShape.Length + 1];
                shape[0] = Rows;
                rowShape.CopyTo(shape, 1);
                values[i] = _data[i] switch
                {
                    float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
                    double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
                    int[] n => OrtValue.CreateTensorValueFromMemory(n, shape),
                    long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
                    bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
                    string?[] s => Strings(s, shape),
                    _ => throw new InvalidOperationException($"Input '{inputs[i].Name}' has an unsupported element type."),
                };
            }
            return new ModelResults(_session.Run(values), Rows, _session.Schema);
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>A named dimension ("sequence") has one size across the inputs, or ONNX Runtime fails with a message that names neither.</summary>
    private void CheckNamedDimensions(IReadOnlyList<ModelInput> inputs)
    {
        var sizes = new Dictionary<string, (long Size, string Input)>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].DimensionNames is not { } names || _shapes[i] is not { } shape)
            {
                continue;
            }
            for (var d = 0; d < Math.Min(names.Count, shape.Length); d++)
            {
                if (names[d].Length == 0 || inputs[i].RowDimensions[d] >= 0)
                {
                    continue;
                }
                if (sizes.TryGetValue(names[d], out var first) && first.Size != shape[d])
                {
                    throw new ArgumentException($"Dimension '{names[d]}' is {first.Size} in input '{first.Input}' but {shape[d]} in input '{inputs[i].Name}'; inputs that share it must agree.");
                }
                sizes[names[d]] = (shape[d], inputs[i].Name);
            }
        }
    }

    private static OrtValue Strings(string?[] strings, long[] shape)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var j = 0; j < strings.Length; j++)
        {
            value.StringTensorSetElementAt((strings[j] ?? "").AsSpan(), j);
        }
        return value;
    }
}

using Microsoft.ML.OnnxRuntime;

namespace MLOps.Runtime;

/// <summary>
/// The fetched outputs of one <see cref="ModelBatch.Run()"/>, read row by row by generated code. One contract on every
/// path: results are valid until they are disposed or their batch runs again, whichever comes first, and a read after
/// that throws <see cref="ObjectDisposedException"/>. ONNX Runtime's results own native tensors, released by either.
/// The compiled path of a thread's one-row batch writes every call into the same object, so that a one-row prediction
/// allocates nothing but its output: there, a read after the batch ran again (not after disposal) is the one case the
/// contract cannot detect.
/// </summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ModelResults : IDisposable
{
    // Null for compiled results, whose arrays are filled directly (and reused by a thread's one-row batch).
    private readonly IDisposableReadOnlyCollection<OrtValue>? _values;
    private readonly long[][]? _rowShapes;

    // Each output is read out of native memory once, on first use: per-row reads of a batch then cost an array
    // index instead of a native call.
    private readonly Array?[] _materialized;

    // Declared elements per row of each output (−1: known only at run time), read on every row; the schema's array.
    private readonly int[] _widths;

    private bool _expired;

    internal ModelResults(IDisposableReadOnlyCollection<OrtValue> values, int rows, ModelSchema schema)
    {
        _values = values;
        _materialized = new Array?[schema.Outputs.Count];
        _widths = schema.OutputWidths;
        Rows = rows;
    }

    internal ModelResults(Array[] materialized, int rows, ModelSchema schema, long[][] rowShapes)
    {
        _materialized = materialized;
        _widths = schema.OutputWidths;
        _rowShapes = rowShapes;
        Rows = rows;
    }

    internal Array Materialized(int output) => _materialized[output]!;

    /// <summary>Rows scored.</summary>
    public int Rows { get; }

    /// <summary>Output <paramref name="output"/>'s values for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Floats(int output, int row) => Row<float>(output, row);

    /// <summary>Output <paramref name="output"/>'s values for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Doubles(int output, int row) => Row<double>(output, row);

    /// <summary>Output <paramref name="output"/>'s values for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> Int32s(int output, int row) => Row<int>(output, row);

    /// <summary>Output <paramref name="output"/>'s values for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<long> Int64s(int output, int row) => Row<long>(output, row);

    /// <summary>Output <paramref name="output"/>'s values for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<bool> Bools(int output, int row) => Row<bool>(output, row);

    /// <summary>Output <paramref name="output"/>'s values for every row, row after row (what a batch reads once instead of once a row).</summary>
    public ReadOnlySpan<float> Floats(int output) => Column<float>(output);

    /// <summary>Output <paramref name="output"/>'s values for every row, row after row.</summary>
    public ReadOnlySpan<double> Doubles(int output) => Column<double>(output);

    /// <summary>Output <paramref name="output"/>'s values for every row, row after row.</summary>
    public ReadOnlySpan<int> Int32s(int output) => Column<int>(output);

    /// <summary>Output <paramref name="output"/>'s values for every row, row after row.</summary>
    public ReadOnlySpan<long> Int64s(int output) => Column<long>(output);

    /// <summary>Output <paramref name="output"/>'s values for every row, row after row.</summary>
    public ReadOnlySpan<bool> Bools(int output) => Column<bool>(output);

    /// <summary>The string at element <paramref name="index"/> of row <paramref name="row"/> of output <paramref name="output"/>.</summary>
    public string String(int output, int row, int index = 0)
    {
        ThrowIfExpired();
        return ((string[])(_materialized[output] ??= _values![output].GetStringTensorAsArray()))[row * Width(output) + index];
    }

    /// <summary>Every string of row <paramref name="row"/> of output <paramref name="output"/>.</summary>
    public string[] StringRow(int output, int row)
    {
        var width = Width(output);
        var values = new string[width];
        for (var i = 0; i < width; i++)
        {
            values[i] = String(output, row, i);
        }
        return values;
    }

    /// <summary>Row <paramref name="row"/> of output <paramref name="output"/> with the shape ONNX Runtime gave it.</summary>
    public ModelTensor<T> Tensor<T>(int output, int row)
        where T : unmanaged => new(Row<T>(output, row).ToArray(), RowShape(output));

    /// <summary>Row <paramref name="row"/> of a string output with the shape ONNX Runtime gave it.</summary>
    public ModelTensor<string> StringTensor(int output, int row) => new(StringRow(output, row), RowShape(output));

    /// <summary>The shape of one row of output <paramref name="output"/> as computed (the row axis excluded).</summary>
    public long[] RowShape(int output)
    {
        ThrowIfExpired();
        if (_rowShapes is not null)
        {
            return _rowShapes[output].Length == 0 ? [1] : _rowShapes[output];
        }
        var shape = _values![output].GetTensorTypeAndShape().Shape;
        return shape.Length <= 1 ? [1] : shape[1..];
    }

    /// <summary>Releases the native output tensors (nothing for compiled results); the results cannot be read after it.</summary>
    public void Dispose() => Expire();

    /// <summary>A reused compiled results object starts the life of its batch's next call.</summary>
    internal void Renew() => _expired = false;

    /// <summary>Ends the results' life: called by <see cref="Dispose"/> and when their batch runs again.</summary>
    internal void Expire()
    {
        if (_expired)
        {
            return;
        }
        _expired = true;
        _values?.Dispose();
    }

    private void ThrowIfExpired()
    {
        if (_expired)
        {
            throw new ObjectDisposedException(nameof(ModelResults), "These results were disposed, or their batch has run again since: read a result before the next call on its batch.");
        }
    }

    private ReadOnlySpan<T> Row<T>(int output, int row)
        where T : unmanaged
    {
        var data = Column<T>(output);
        var width = _widths[output] >= 0 ? _widths[output] : data.Length / Rows;
        return data.Slice(row * width, width);
    }

    private ReadOnlySpan<T> Column<T>(int output)
        where T : unmanaged
    {
        ThrowIfExpired();
        return (T[])(_materialized[output] ??= _values![output].GetTensorDataAsSpan<T>().ToArray());
    }

    /// <summary>Elements per row: the declared width, or for a dynamic output what ONNX Runtime computed.</summary>
    private int Width(int output) =>
        _widths[output] >= 0 ? _widths[output]
        : _values is null ? _materialized[output]!.Length / Rows
        : (int)(_values[output].GetTensorTypeAndShape().ElementCount / Rows);
}

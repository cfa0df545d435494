using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace MLOps.Runtime;

/// <summary>
/// Input buffers for one scoring call: one column per graph input, filled by the generated code, then scored row by
/// row by the compiled model, or wrapped as <see cref="OrtValue"/>s over the same memory (no copy) for ONNX Runtime. The one-row batch of a thread keeps its
/// <see cref="OrtValue"/>s for its lifetime, so a single-row prediction allocates only its outputs.
/// </summary>
/// <remarks>Called by generated model classes; hidden from IntelliSense, kept compatible like the rest of the API.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed partial class ModelBatch : IDisposable
{
    private readonly ModelSession _session;
    private readonly bool _pooled;
    private readonly Array?[] _columns;
    private readonly string?[]?[] _strings;
    private readonly OrtValue?[] _values;

    // Elements per row of each input, read on every Fill: an array index instead of two interface calls.
    private readonly int[] _widths;

    private ModelResults? _lastResults;

    internal ModelBatch(ModelSession session, int rows, bool pooled)
    {
        _session = session;
        _pooled = pooled;
        Rows = rows;
        var inputs = session.Schema.Inputs;
        _columns = new Array?[inputs.Count];
        _strings = new string?[]?[inputs.Count];
        _values = new OrtValue?[inputs.Count];
        _widths = inputs.Select(i => i.Width).ToArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var length = rows * inputs[i].Width;
            switch (inputs[i].Kind)
            {
                case TensorKind.String:
                    _strings[i] = pooled ? ArrayPool<string?>.Shared.Rent(length) : new string?[length];
                    break;
                case TensorKind.Float:
                    _columns[i] = Allocate<float>(length);
                    break;
                case TensorKind.Double:
                    _columns[i] = Allocate<double>(length);
                    break;
                case TensorKind.Int32:
                    _columns[i] = Allocate<int>(length);
                    break;
                case TensorKind.Int64:
                    _columns[i] = Allocate<long>(length);
                    break;
                default:
                    _columns[i] = Allocate<bool>(length);
                    break;
            }
            if (!pooled && inputs[i].Kind != TensorKind.String && session.Compiled is null)
            {
                _values[i] = Wrap(i);
            }
        }
    }

    /// <summary>Rows in this batch.</summary>
    public int Rows { get; }

    /// <summary>The float column of input <paramref name="input"/>: <c>Rows × Width</c> elements, row after row.</summary>
    public Span<float> Floats(int input) => Column<float>(input);

    /// <summary>The double column of input <paramref name="input"/>.</summary>
    public Span<double> Doubles(int input) => Column<double>(input);

    /// <summary>The int column of input <paramref name="input"/>.</summary>
    public Span<int> Int32s(int input) => Column<int>(input);

    /// <summary>The long column of input <paramref name="input"/>.</summary>
    public Span<long> Int64s(int input) => Column<long>(input);

    /// <summary>The bool column of input <paramref name="input"/>.</summary>
    public Span<bool> Bools(int input) => Column<bool>(input);

    /// <summary>The string column of input <paramref name="input"/>; null is sent as an empty string (a missing category).</summary>
    public Span<string?> Strings(int input) => _strings[input].AsSpan(0, Rows * _widths[input]);

    /// <summary>Scores the batch. Dispose the result when its values have been read.</summary>
    public ModelResults Run() => Run(null);

    /// <summary>
    /// Scores the batch of one keyed prediction: traffic capture (<see cref="ModelSessionOptions.CaptureDirectory"/>)
    /// samples it by <paramref name="key"/> and writes the key with it. Dispose the result when its values have been read.
    /// </summary>
    public ModelResults Run(string? key)
    {
        // The results of the batch's previous run end here, on every path (see ModelResults).
        _lastResults?.Expire();
        var results = Score();
        _lastResults = results;
        _session.Capture?.Record(this, results, key);
        return results;
    }

    private ModelResults Score()
    {
        if (_session.Compiled is { } compiled)
        {
            if (_session.Monitor is not { } watching)
            {
                return RunCompiled(compiled);
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var scored = RunCompiled(compiled);
            watching.Record(this, scored, started);
            return scored;
        }
        var inputs = _session.Schema.Inputs;
        var values = new OrtValue[inputs.Count];
        var created = new List<OrtValue>();
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].Kind == TensorKind.String)
                {
                    var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, Shape(i));
                    created.Add(value);
                    var column = Strings(i);
                    for (var j = 0; j < column.Length; j++)
                    {
                        value.StringTensorSetElementAt((column[j] ?? "").AsSpan(), j);
                    }
                    values[i] = value;
                }
                else
                {
                    var value = _values[i];
                    if (value is null)
                    {
                        value = Wrap(i);
                        created.Add(value);
                    }
                    values[i] = value;
                }
            }
            if (_session.Monitor is not { } monitor)
            {
                return new ModelResults(_session.Run(values), Rows, _session.Schema);
            }
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            var results = new ModelResults(_session.Run(values), Rows, _session.Schema);
            monitor.Record(this, results, start);
            return results;
        }
        finally
        {
            foreach (var value in created)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>Returns pooled buffers. The per-thread one-row batch is not disposed by callers.</summary>
    public void Dispose()
    {
        if (!_pooled)
        {
            return;
        }
        for (var i = 0; i < _columns.Length; i++)
        {
            switch (_columns[i])
            {
                case float[] f: ArrayPool<float>.Shared.Return(f); break;
                case double[] d: ArrayPool<double>.Shared.Return(d); break;
                case int[] n: ArrayPool<int>.Shared.Return(n); break;
                case long[] l: ArrayPool<long>.Shared.Return(l); break;
                case bool[] b: ArrayPool<bool>.Shared.Return(b); break;
            }
            if (_strings[i] is { } s)
            {
                ArrayPool<string?>.Shared.Return(s, clearArray: true);
            }
        }
    }

    internal void Release()
    {
        foreach (var value in _values)
        {
            value?.Dispose();
        }
    }

    private T[] Allocate<T>(int length) => _pooled ? ArrayPool<T>.Shared.Rent(length) : new T[length];

    private Span<T> Column<T>(int input) => ((T[])_columns[input]!).AsSpan(0, Rows * _widths[input]);

    private long[] Shape(int input)
    {
        var dimensions = _session.Schema.Inputs[input].RowDimensions;
        var shape = new long[dimensions.Count + 1];
        shape[0] = Rows;
        for (var d = 0; d < dimensions.Count; d++)
        {
            shape[d + 1] = dimensions[d];
        }
        return shape;
    }

    private OrtValue Wrap(int input)
    {
        var shape = Shape(input);
        var length = Rows * _session.Schema.Inputs[input].Width;
        return _columns[input] switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, f.AsMemory(0, length), shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d.AsMemory(0, length), shape),
            int[] n => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, n.AsMemory(0, length), shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, l.AsMemory(0, length), shape),
            bool[] b => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, b.AsMemory(0, length), shape),
            _ => throw new InvalidOperationException("unsupported column"),
        };
    }
}

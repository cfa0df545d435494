namespace MLOps.Runtime.Monitoring;

/// <summary>
/// What a captured file holds, column by column: the time and key, each input with one value per row (named as the
/// graph names it), and each output element (<c>mlops_</c> and the output's name, without ONNX's <c>.output</c>).
/// Inputs and outputs whose width is known only per call are left out.
/// </summary>
internal sealed class CaptureColumns
{
    private readonly Column[] _columns;

    public CaptureColumns(ModelSchema schema)
    {
        var columns = new List<Column>();
        for (var i = 0; i < schema.Inputs.Count; i++)
        {
            var input = schema.Inputs[i];
            if (input.Width == 1)
            {
                columns.Add(new Column(input.Name, input.Kind, Source.Input, i, 0));
            }
        }
        for (var o = 0; o < schema.Outputs.Count; o++)
        {
            var output = schema.Outputs[o];
            var name = MLOps.Shared.CaptureLayout.OutputPrefix + (output.Name.EndsWith(".output", StringComparison.Ordinal) ? output.Name[..^".output".Length] : output.Name);
            for (var e = 0; e < output.Width; e++)
            {
                columns.Add(new Column(output.Width == 1 ? name : name + "_" + e.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Kind, Source.Output, o, e));
            }
        }
        _columns = [.. columns];
        Values = _columns.Select(c => new CaptureColumn(c.Name, c.Kind)).ToArray();
        Names = [CaptureColumn.Time, CaptureColumn.Key, .. _columns.Select(c => c.Name)];
    }

    /// <summary>Every column's name, the time and key first.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The value columns (after the time and key), as a file format sees them.</summary>
    public IReadOnlyList<CaptureColumn> Values { get; private set; } = [];

    /// <summary>Row <paramref name="row"/>'s values; a missing number (NaN) is null.</summary>
    public object?[] Read(ModelBatch batch, ModelResults results, int row)
    {
        var values = new object?[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            values[c] = column.Source == Source.Input ? ReadInput(batch, column, row) : ReadOutput(results, column, row);
        }
        return values;
    }

    private static object? ReadInput(ModelBatch batch, Column column, int row) => column.Kind switch
    {
        TensorKind.Float => Number(batch.Floats(column.Index)[row]),
        TensorKind.Double => Number(batch.Doubles(column.Index)[row]),
        TensorKind.Int32 => batch.Int32s(column.Index)[row],
        TensorKind.Int64 => batch.Int64s(column.Index)[row],
        TensorKind.Bool => batch.Bools(column.Index)[row],
        _ => batch.Strings(column.Index)[row],
    };

    private static object? ReadOutput(ModelResults results, Column column, int row) => column.Kind switch
    {
        TensorKind.Float => Number(results.Floats(column.Index, row)[column.Element]),
        TensorKind.Double => Number(results.Doubles(column.Index, row)[column.Element]),
        TensorKind.Int32 => results.Int32s(column.Index, row)[column.Element],
        TensorKind.Int64 => results.Int64s(column.Index, row)[column.Element],
        TensorKind.Bool => results.Bools(column.Index, row)[column.Element],
        _ => results.String(column.Index, row, column.Element),
    };

    private static object? Number(float value) => float.IsNaN(value) ? null : value;

    private static object? Number(double value) => double.IsNaN(value) ? null : value;

    internal enum Source
    {
        Input,
        Output,
    }

    /// <param name="Name">The column's name in a captured file.</param>
    /// <param name="Kind">The element type.</param>
    /// <param name="Source">An input's or an output's value.</param>
    /// <param name="Index">The input's or output's position in the schema.</param>
    /// <param name="Element">The element of a wide output.</param>
    internal sealed record Column(string Name, TensorKind Kind, Source Source, int Index, int Element);
}

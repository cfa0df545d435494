using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// An <see cref="IDataView"/> over typed in-memory columns. Built by hand rather than through a POCO, because the
/// columns are only known at run time and their names become the ONNX graph's input names. Category columns stay
/// dictionary-encoded: a row's text is its code's value, looked up as the cursor passes (a missing value is empty
/// text, which ML.NET's key mapping treats as missing).
/// </summary>
public sealed class InMemoryDataView : IDataView
{
    public const string LabelColumnName = "__mlops_label";

    private readonly object[] _columns;
    private readonly int _rows;

    public InMemoryDataView(TrainingTable table, bool includeLabel)
    {
        var builder = new DataViewSchema.Builder();
        var columns = new List<object>();
        foreach (var feature in table.Features)
        {
            if (feature.IsNumeric)
            {
                builder.AddColumn(feature.Name, NumberDataViewType.Single);
                columns.Add(feature.Preprocessing.NumberReplacement is null ? feature.Numbers! : feature.Numbers!.Select(feature.Preprocessing.Number).ToArray());
            }
            else if (feature.Kind.IsDate())
            {
                var parts = feature.DatePartsByCode();
                var width = DateParts.Count(feature.Kind == ColumnKind.DateTime);
                builder.AddColumn(feature.Name, new VectorDataViewType(NumberDataViewType.Single, width));
                columns.Add(new EncodedDates(feature.Categories!.Codes, parts, width));
            }
            else
            {
                builder.AddColumn(feature.Name, TextDataViewType.Instance);
                columns.Add(new EncodedText(feature.Categories!, feature.Preprocessing));
            }
        }
        if (includeLabel)
        {
            var label = table.Label;
            if (label.Classes is not null)
            {
                builder.AddColumn(LabelColumnName, TextDataViewType.Instance);
                columns.Add(new EncodedText(label.Classes, FeaturePreprocessing.None));
            }
            else if (label.Flags is not null)
            {
                builder.AddColumn(LabelColumnName, BooleanDataViewType.Instance);
                columns.Add(label.Flags);
            }
            else
            {
                builder.AddColumn(LabelColumnName, NumberDataViewType.Single);
                columns.Add(label.Values!);
            }
        }
        Schema = builder.ToSchema();
        _columns = [.. columns];
        _rows = table.RowCount;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this)];

    private sealed class Cursor(InMemoryDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext() => ++_position < view._rows;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (view._columns[column.Index] is EncodedText text)
            {
                var codes = text.Codes;
                var memories = text.Memories;
                var missing = text.Missing;
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                {
                    var code = codes[_position];
                    value = code < 0 ? missing : memories[code];
                });
            }
            if (view._columns[column.Index] is EncodedDates dates)
            {
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var code = dates.Codes[_position];
                    var editor = VBufferEditor.Create(ref value, dates.Width);
                    for (var i = 0; i < dates.Width; i++)
                    {
                        editor.Values[i] = code < 0 ? float.NaN : dates.Parts[code][i];
                    }
                    value = editor.Commit();
                });
            }
            var values = (TValue[])view._columns[column.Index];
            return (ref TValue value) => value = values[_position];
        }
    }

    /// <summary>Each distinct value preprocessed once (lower-cased), a missing one replaced as the model card says.</summary>
    private sealed class EncodedText(CategoryColumn column, FeaturePreprocessing preprocessing)
    {
        public int[] Codes { get; } = column.Codes;
        public ReadOnlyMemory<char>[] Memories { get; } = column.Values.Select(v => (preprocessing.Text(v) ?? "").AsMemory()).ToArray();
        public ReadOnlyMemory<char> Missing { get; } = (preprocessing.Text(null) ?? "").AsMemory();
    }

    private sealed record EncodedDates(int[] Codes, float[][] Parts, int Width);
}

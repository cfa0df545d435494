using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Trainer.Data;

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
                columns.Add(feature.Numbers!);
            }
            else
            {
                builder.AddColumn(feature.Name, TextDataViewType.Instance);
                columns.Add(new EncodedText(feature.Categories!));
            }
        }
        if (includeLabel)
        {
            var label = table.Label;
            if (label.Classes is not null)
            {
                builder.AddColumn(LabelColumnName, TextDataViewType.Instance);
                columns.Add(new EncodedText(label.Classes));
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
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                {
                    var code = codes[_position];
                    value = code < 0 ? ReadOnlyMemory<char>.Empty : memories[code];
                });
            }
            var values = (TValue[])view._columns[column.Index];
            return (ref TValue value) => value = values[_position];
        }
    }

    private sealed class EncodedText(CategoryColumn column)
    {
        public int[] Codes { get; } = column.Codes;
        public ReadOnlyMemory<char>[] Memories { get; } = column.Values.Select(v => v.AsMemory()).ToArray();
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Rows already featurized once, for scoring many permutations of one column with the predictor alone. Every step of
/// <see cref="PipelineFactory.Featurize"/> (imputation, one-hot, n-grams, concatenation, min-max scaling) maps each
/// column of a row to its own slots of the feature vector by that row's value only, so shuffling a column's values
/// among the rows shuffles exactly its slots: the same scores as featurizing the shuffled table again, without paying
/// for featurization (most of the time on a wide table: 784 numbers cost 30 µs a row, the trees a fraction of it).
/// </summary>
public sealed class FeaturizedSample : IDataView
{
    private readonly VBuffer<float>[] _features;
    private readonly Array _labels;
    private readonly (int Start, int End)[] _slots;
    private readonly bool[]? _slotsRead;
    private (int Column, int[] RowOrder)? _reordered;

    private FeaturizedSample(DataViewSchema schema, VBuffer<float>[] features, Array labels, (int, int)[] slots, ITransformer predictor, bool[]? slotsRead)
    {
        Schema = schema;
        _features = features;
        _labels = labels;
        _slots = slots;
        Predictor = predictor;
        _slotsRead = slotsRead;
    }

    /// <summary>Whether the predictor reads any of column <paramref name="column"/>'s slots; if not, no order of its values changes a score.</summary>
    public bool IsRead(int column)
    {
        var (start, end) = _slots[column];
        return _slotsRead is null || Array.IndexOf(_slotsRead, true, start, end - start) >= 0;
    }

    /// <summary>The model's last step, reading <see cref="PipelineFactory.FeaturesColumnName"/>.</summary>
    public ITransformer Predictor { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _features.Length;

    /// <summary>
    /// Splits <paramref name="model"/> into its featurization and its predictor and featurizes <paramref name="rows"/>;
    /// null when the model is not a chain ending in a predictor of the feature vector, or when the vector's slots do
    /// not add up to the columns' (then the caller featurizes each permutation instead).
    /// </summary>
    public static FeaturizedSample? TryCreate(ITransformer model, IDataView rows, IReadOnlyList<FeatureColumn> columns)
    {
        if (model is not TransformerChain<ITransformer> chain || chain.LastTransformer is not ISingleFeaturePredictionTransformer<object> predictor ||
            predictor.FeatureColumnName != PipelineFactory.FeaturesColumnName)
        {
            return null;
        }
        var featurization = new TransformerChain<ITransformer>(chain.Take(chain.Count() - 1).ToArray());
        var featurized = featurization.Transform(rows);
        var featureColumn = featurized.Schema[PipelineFactory.FeaturesColumnName];
        var labelColumn = featurized.Schema.GetColumnOrNull(InMemoryDataView.LabelColumnName);
        var slots = SlotRanges(featurized.Schema, columns);
        if (labelColumn?.Type.RawType is not { } labelType || !ReadLabelTypes.Contains(labelType) || slots is not { Length: > 0 }
            || featureColumn.Type is not VectorDataViewType { Size: var width } || slots[^1].End != width)
        {
            return null;
        }
        var (features, labels) = Read(featurized, featureColumn, labelColumn.Value);
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(labelColumn.Value.Name, labelColumn.Value.Type, labelColumn.Value.Annotations);
        schema.AddColumn(featureColumn.Name, featureColumn.Type, featureColumn.Annotations);
        return new FeaturizedSample(schema.ToSchema(), features, labels, slots, chain.LastTransformer, SlotsRead.Of(predictor.Model, width));
    }

    /// <summary>From the next cursor on, column <paramref name="column"/>'s slots come from the rows of <paramref name="rowOrder"/> (null: every row's own).</summary>
    public void ReadColumnInOrder(int column, int[]? rowOrder)
    {
        if (rowOrder is not null && rowOrder.Length != _features.Length)
        {
            throw new ArgumentException($"A row order needs {_features.Length} rows, not {rowOrder.Length}.", nameof(rowOrder));
        }
        _reordered = rowOrder is null ? null : (column, rowOrder);
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, 0, _features.Length, 0);

    /// <summary>
    /// Up to <paramref name="n"/> cursors over consecutive ranges of rows, numbered as batches in row order, so that
    /// ML.NET scores each range on a thread of its own and gives the rows back in their order (by batch). Given one
    /// cursor, ML.NET would split it across threads itself, copying every row's whole vector between them: on a
    /// 3,000-column sample that copying, not the scoring, was most of importance's time.
    /// </summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var rows = _features.Length;
        var count = Math.Max(1, Math.Min(n, rows / MinimumRowsPerCursor));
        return Enumerable.Range(0, count).Select(i => (DataViewRowCursor)new Cursor(this, i * rows / count, (i + 1) * rows / count, i)).ToArray();
    }

    /// <summary>Below this, a range's thread costs more than its rows.</summary>
    private const int MinimumRowsPerCursor = 64;

    /// <summary>Each column's slots in the feature vector: the concatenation's parts in the columns' order.</summary>
    private static (int Start, int End)[]? SlotRanges(DataViewSchema schema, IReadOnlyList<FeatureColumn> columns)
    {
        var ranges = new (int, int)[columns.Count];
        var start = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var part = schema.GetColumnOrNull(PipelineFactory.FeaturePart(columns[i]));
            var width = part?.Type switch
            {
                VectorDataViewType vector => vector.Size,
                PrimitiveDataViewType => 1,
                _ => 0,
            };
            if (width == 0)
            {
                return null;
            }
            ranges[i] = (start, start + width);
            start += width;
        }
        return ranges;
    }

    private static (VBuffer<float>[] Features, Array Labels) Read(IDataView featurized, DataViewSchema.Column featureColumn, DataViewSchema.Column labelColumn)
    {
        var rows = checked((int)(featurized.GetRowCount() ?? throw new InvalidOperationException("The sample has no row count.")));
        var features = new VBuffer<float>[rows];
        var labels = Array.CreateInstance(labelColumn.Type.RawType, rows);
        using var cursor = featurized.GetRowCursor([featureColumn, labelColumn]);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var readLabel = LabelReader(cursor, labelColumn, labels);
        VBuffer<float> buffer = default;
        for (var row = 0; cursor.MoveNext(); row++)
        {
            getFeatures(ref buffer);
            buffer.CopyTo(ref features[row]);
            readLabel(row);
        }
        return (features, labels);
    }

    /// <summary>A binary label (bool), a regression label (float), a multiclass label mapped to its key (uint).</summary>
    private static readonly Type[] ReadLabelTypes = [typeof(bool), typeof(float), typeof(uint)];

    private static Action<int> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, Array labels) => labels switch
    {
        bool[] flags => Reader(cursor.GetGetter<bool>(column), flags),
        float[] values => Reader(cursor.GetGetter<float>(column), values),
        uint[] keys => Reader(cursor.GetGetter<uint>(column), keys),
        _ => throw new InvalidOperationException($"Label type {column.Type} is not read by permutation importance."),
    };

    private static Action<int> Reader<T>(ValueGetter<T> getter, T[] into) => row => getter(ref into[row]);

    /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) as one batch.</summary>
    private sealed class Cursor(FeaturizedSample sample, int start, int end, long batch) : DataViewRowCursor
    {
        private readonly (int Column, int[] RowOrder)? _reordered = sample._reordered;
        private long _position = -1;
        private int _row = start - 1;

        public override long Position => _position;
        public override long Batch => batch;
        public override DataViewSchema Schema => sample.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext()
        {
            if (_row + 1 >= end)
            {
                _position = -1;
                return false;
            }
            _row++;
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                var labels = (TValue[])sample._labels;
                return (ref TValue value) => value = labels[_row];
            }
            return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var row = _row;
                if (_reordered is { } reordered)
                {
                    var (first, past) = sample._slots[reordered.Column];
                    SlotSplice.Combine(sample._features[row], sample._features[reordered.RowOrder[row]], first, past, ref value);
                }
                else
                {
                    sample._features[row].CopyTo(ref value);
                }
            });
        }
    }
}

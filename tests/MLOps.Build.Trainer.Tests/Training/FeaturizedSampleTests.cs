using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>
/// Permutation importance scores shuffled columns by splicing slots of vectors featurized once; that must score
/// exactly what featurizing the shuffled table again scores, for every kind of column and every pipeline shape.
/// </summary>
public sealed class FeaturizedSampleTests
{
    /// <summary>Enough for ML.NET to score the sample as two ranges of rows on two threads.</summary>
    private const int Rows = 200;

    /// <summary>Every trainer: trees, linear ones (min-max scaling after the concatenation), one-versus-all (labels mapped to keys).</summary>
    public static TheoryData<ModelTask, string> Trainers()
    {
        var data = new TheoryData<ModelTask, string>();
        foreach (var entry in TrainerRegistry.All)
        {
            data.Add(entry.Task, entry.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Each_shuffled_column_scores_as_if_the_shuffled_table_were_featurized_again(ModelTask task, string trainer)
    {
        var table = Table(task);
        var (model, entry, Mapped) = Fit(table, task, trainer);
        var raw = new InMemoryDataView(table, includeLabel: true);

        var featurized = FeaturizedSample.TryCreate(model, Mapped(raw), table.Features);

        Assert.NotNull(featurized);
        var scored = featurized.Predictor.Transform(featurized);
        var unshuffled = Scores(model.Transform(Mapped(raw)));
        Assert.Equal(unshuffled, Scores(scored));
        for (var column = 0; column < table.Features.Count; column++)
        {
            var order = Enumerable.Range(0, Rows).ToArray();
            new Random(column).Shuffle(order);
            var reference = table.With(column, table.Features[column].Select(order));

            featurized.ReadColumnInOrder(column, order);

            var expected = Scores(model.Transform(Mapped(new InMemoryDataView(reference, includeLabel: true))));
            Assert.Equal(expected, Scores(scored));
            if (!featurized.IsRead(column))
            {
                // A column the predictor never reads is given a drop of 0 unscored: that must be what scoring gives.
                Assert.Equal(unshuffled, expected);
            }
        }
        featurized.ReadColumnInOrder(0, null);
        Assert.Equal(unshuffled, Scores(scored));
        // Trees never split on the constant column; the other predictors are taken to read every slot.
        Assert.Equal(entry.NeedsNormalization, featurized.IsRead(0));
        Assert.Contains(Enumerable.Range(1, table.Features.Count - 1), featurized.IsRead);
    }

    [Fact]
    public void A_cursor_set_is_consecutive_ranges_of_rows_numbered_as_batches_in_row_order()
    {
        var table = Table(ModelTask.Regression);
        var view = new InMemoryDataView(table, includeLabel: true);
        var featurized = FeaturizedSample.TryCreate(Fit(table, ModelTask.Regression, "FastTree").Model, view, table.Features)!;

        var cursors = featurized.GetRowCursorSet(featurized.Schema, 3);

        Assert.Equal(3, cursors.Length);
        var rows = new List<(long Batch, ulong Id, float Label)>();
        foreach (var cursor in cursors)
        {
            using (cursor)
            {
                var id = cursor.GetIdGetter();
                var label = cursor.GetGetter<float>(featurized.Schema[InMemoryDataView.LabelColumnName]);
                while (cursor.MoveNext())
                {
                    DataViewRowId rowId = default;
                    float value = 0;
                    id(ref rowId);
                    label(ref value);
                    rows.Add((cursor.Batch, rowId.Low, value));
                }
            }
        }
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (ulong)i), rows.Select(r => r.Id));
        Assert.Equal(table.Label.Values!, rows.Select(r => r.Label));
        Assert.Equal(rows.Select(r => r.Batch).Order(), rows.Select(r => r.Batch));
        Assert.Equal([0L, 1, 2], rows.Select(r => r.Batch).Distinct());
        // No range under 64 rows, however many threads are offered.
        Assert.Equal(3, featurized.GetRowCursorSet(featurized.Schema, 100).Length);
    }

    [Fact]
    public void A_model_that_does_not_end_in_a_predictor_of_the_feature_vector_is_scored_whole()
    {
        var table = Table(ModelTask.Regression);
        var ml = new MLContext(seed: 1);
        var view = new InMemoryDataView(table, includeLabel: true);
        var featurizationOnly = PipelineFactory.Featurize(ml, table.Features, normalize: false).Fit(view);

        Assert.Null(FeaturizedSample.TryCreate(featurizationOnly, view, table.Features));
    }

    /// <summary>The registry trainer fitted on the table's featurization, and how a view's labels are mapped for it (one-versus-all's keys).</summary>
    private static (ITransformer Model, TrainerEntry Entry, Func<IDataView, IDataView> Mapped) Fit(TrainingTable table, ModelTask task, string trainer)
    {
        var ml = new MLContext(seed: 1);
        var entry = TrainerRegistry.Find(task, trainer)!;
        var options = OptionBinder.Bind(entry, [], 1, new DiagnosticBag())!;
        var raw = new InMemoryDataView(table, includeLabel: true);
        var labelMapping = PipelineFactory.FitLabelMapping(ml, task, raw);
        IDataView Mapped(IDataView view) => labelMapping?.Transform(view) ?? view;
        return (PipelineFactory.Featurize(ml, table.Features, entry.NeedsNormalization).Append(entry.Create(ml, options)).Fit(Mapped(raw)), entry, Mapped);
    }

    /// <summary>Every score (a class's scores joined) of every row, in row order.</summary>
    private static string[] Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        return column.Type is VectorDataViewType
            ? scored.GetColumn<VBuffer<float>>(column).Select(v => string.Join(" ", v.DenseValues().Select(Exact))).ToArray()
            : scored.GetColumn<float>(column).Select(Exact).ToArray();
    }

    private static string Exact(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A constant, a number with gaps, a category with a missing cell, free text and a date; the label follows the number and the category.</summary>
    private static TrainingTable Table(ModelTask task)
    {
        var random = new Random(7);
        var numbers = Enumerable.Range(0, Rows).Select(i => i % 13 == 0 ? float.NaN : (float)random.NextDouble() * 10).ToArray();
        string?[] colours = ["red", "green", "blue", null];
        var colour = Enumerable.Range(0, Rows).Select(i => colours[random.Next(colours.Length)]).ToArray();
        string[] words = ["calm", "storm", "wind", "sun", "rain", "fog"];
        var notes = Enumerable.Range(0, Rows).Select(_ => string.Join(" ", Enumerable.Range(0, 3).Select(_ => words[random.Next(words.Length)]))).ToArray();
        var dates = Enumerable.Range(0, Rows).Select(i => i % 17 == 0 ? null : new DateOnly(2020, 1, 1).AddDays(random.Next(900)).ToString("yyyy-MM-dd")).ToArray();
        var signal = Enumerable.Range(0, Rows).Select(i => (float.IsNaN(numbers[i]) ? 5 : numbers[i]) + (colour[i] == "red" ? 4 : 0) + (notes[i].Contains("storm") ? 2 : 0)).ToArray();
        FeatureColumn[] features =
        [
            // First, so that a model numbering its slots without the constant one would be caught reading the wrong columns.
            new("constant", ColumnKind.Float, Enumerable.Repeat(3f, Rows).ToArray(), null),
            new("reading", ColumnKind.Float, numbers, null),
            new("colour", ColumnKind.Category, null, CategoryColumn.From(colour)),
            new("notes", ColumnKind.Text, null, CategoryColumn.From(notes)),
            new("day", ColumnKind.Date, null, CategoryColumn.From(dates)),
        ];
        var label = task switch
        {
            ModelTask.Binary => new LabelColumn("y", null, signal.Select(s => s > 8).ToArray(), null),
            ModelTask.Multiclass => new LabelColumn("y", CategoryColumn.From(signal.Select(s => s > 10 ? "high" : s > 6 ? "mid" : "low")), null, null),
            _ => new LabelColumn("y", null, null, signal),
        };
        return new TrainingTable("t.csv", features, label, Rows);
    }
}

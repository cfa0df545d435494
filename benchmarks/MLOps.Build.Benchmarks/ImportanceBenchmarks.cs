using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Permutation importance of a wide table: 300 numeric columns (sensor channels, ten of which carry the label) and one
/// category, a LightGbm regression model, 3 shuffles of 1,000 test rows per column. The baseline is ML.NET's own
/// <c>PermutationFeatureImportance</c> of the model's predictor on the featurized test data, as ML.NET's sample calls
/// it (it shuffles slots: for a number a slot is its column). Against it: the trainer's <see cref="ColumnImportance"/>, which featurizes once and shuffles each
/// column's slots, and what it did before, featurizing the whole table again for every shuffle.
/// </summary>
[Config(typeof(MonitoringConfig))]
public class ImportanceBenchmarks
{
    private const int Columns = 300;
    private const int Permutations = 3;
    private MLContext _ml = null!;
    private TrainingTable _test = null!;
    private ITransformer _model = null!;
    private IDataView _testView = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        var train = Table(3000, seed: 1);
        _test = Table(1000, seed: 2);
        var entry = TrainerRegistry.Find(ModelTask.Regression, "LightGbm")!;
        var options = OptionBinder.Bind(entry, [], 1, new DiagnosticBag(), entry.Threads)!;
        _model = PipelineFactory.Featurize(_ml, train.Features, entry.NeedsNormalization).Append(entry.Create(_ml, options))
            .Fit(new InMemoryDataView(train, includeLabel: true));
        _testView = new InMemoryDataView(_test, includeLabel: true);
    }

    /// <summary>As ML.NET's sample does it: the test data through the featurization, then the predictor's slots shuffled.</summary>
    [Benchmark(Baseline = true, Description = "ML.NET's PermutationFeatureImportance of the predictor, as its sample calls it")]
    public int MLNetDirect()
    {
        var chain = (TransformerChain<ITransformer>)_model;
        var predictor = (ISingleFeaturePredictionTransformer<object>)chain.LastTransformer;
        var featurized = new TransformerChain<ITransformer>(chain.Take(chain.Count() - 1).ToArray()).Transform(_testView);
        return _ml.Regression.PermutationFeatureImportance(predictor, featurized, InMemoryDataView.LabelColumnName, permutationCount: Permutations).Length;
    }

    [Benchmark(Description = "the trainer's importance: featurized once, each column's slots shuffled")]
    public int FeaturizedOnce() =>
        new ColumnImportance(_ml, ModelTask.Regression, null, _model, calibrated: false)
            .Compute(_test, new ImportanceSpec(true, _test.RowCount, Permutations), seed: 1).Features.Count;

    /// <summary>
    /// The trainer until 2026-12-07: featurized once, but every column scored, and the sample read as one cursor, which
    /// ML.NET splits across threads, copying each row's whole vector between them.
    /// </summary>
    [Benchmark(Description = "before: featurized once, every column scored, one cursor split by ML.NET")]
    public double FeaturizedOnceEveryColumnScored()
    {
        var featurized = FeaturizedSample.TryCreate(_model, _testView, _test.Features)!;
        var scored = featurized.Predictor.Transform(new OneCursor(featurized));
        var total = 0.0;
        for (var column = 0; column < _test.Features.Count; column++)
        {
            for (var p = 0; p < Permutations; p++)
            {
                var order = Enumerable.Range(0, _test.RowCount).ToArray();
                new Random(column * Permutations + p).Shuffle(order);
                featurized.ReadColumnInOrder(column, order);
                total += _ml.Regression.Evaluate(scored, InMemoryDataView.LabelColumnName).RSquared;
            }
        }
        return total;
    }

    [Benchmark(Description = "before: the whole table featurized again for every shuffle")]
    public double FeaturizedForEveryShuffle()
    {
        var total = 0.0;
        for (var column = 0; column < _test.Features.Count; column++)
        {
            for (var p = 0; p < Permutations; p++)
            {
                var order = Enumerable.Range(0, _test.RowCount).ToArray();
                new Random(column * Permutations + p).Shuffle(order);
                var shuffled = _test.With(column, _test.Features[column].Select(order));
                total += _ml.Regression.Evaluate(_model.Transform(new InMemoryDataView(shuffled, includeLabel: true)), InMemoryDataView.LabelColumnName).RSquared;
            }
        }
        return total;
    }

    private static TrainingTable Table(int rows, int seed)
    {
        var random = new Random(seed);
        var channels = Enumerable.Range(0, Columns).Select(_ => new float[rows]).ToArray();
        var label = new float[rows];
        string[] sites = ["north", "south", "east", "west"];
        var site = new string?[rows];
        for (var row = 0; row < rows; row++)
        {
            for (var c = 0; c < Columns; c++)
            {
                channels[c][row] = (float)random.NextDouble();
            }
            site[row] = sites[random.Next(sites.Length)];
            label[row] = channels.Take(10).Sum(channel => channel[row]) + (site[row] == "north" ? 1 : 0) + (float)random.NextDouble() * 0.1f;
        }
        var features = channels.Select((values, c) => new FeatureColumn($"channel {c}", ColumnKind.Float, values, null))
            .Append(new FeatureColumn("site", ColumnKind.Category, null, CategoryColumn.From(site)))
            .ToArray();
        return new TrainingTable("sensors.csv", features, new LabelColumn("output", null, null, label), rows);
    }

    /// <summary>A view as the sample was before it offered ranges of rows: one cursor, whatever the caller asks for.</summary>
    private sealed class OneCursor(IDataView source) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => source.Schema;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            source.GetRowCursor(columnsNeeded, rand);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [source.GetRowCursor(columnsNeeded, rand)];
    }
}

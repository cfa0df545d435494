using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Parquet;
using Parquet.Schema;

// ML.NET called directly on flights-3m.parquet, the way a user would write it by hand: the columns read into
// typed arrays, 10% held out (seeded), mean imputation and one-hot categories, LightGbm regression of `delay`
// on the given threads (ML.NET's default when "default"), fit and evaluate. The same work the build's trainer does
// for Flights.mlmodel.json, without the build's extras (export, parity, statistics, importance).
//   dotnet MLOps.Build.Benchmarks.MLNetDirect.dll <flights-3m.parquet> [seed] [threads|default]
var path = args[0];
var seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 42;
int? threads = args.Length > 2 && args[2] == "default" ? null : args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;

var (delay, distance, origin, destination) = await ReadAsync(path);
var rows = delay.Length;
var order = Enumerable.Range(0, rows).ToArray();
new Random(seed).Shuffle(order);
var testCount = rows / 10;

var ml = new MLContext(seed);
IDataView View(IEnumerable<int> indices) => ml.Data.LoadFromEnumerable(indices.Select(i => new Flight
{
    Delay = delay[i],
    Distance = distance[i],
    Origin = origin[i],
    Destination = destination[i],
}));
var train = View(order.Skip(testCount).Order());
var test = View(order.Take(testCount).Order());

var pipeline = ml.Transforms.ReplaceMissingValues(nameof(Flight.Distance), replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean)
    .Append(ml.Transforms.Categorical.OneHotEncoding("OriginKey", nameof(Flight.Origin), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
    .Append(ml.Transforms.Categorical.OneHotEncoding("DestinationKey", nameof(Flight.Destination), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
    .Append(ml.Transforms.Concatenate("Features", nameof(Flight.Distance), "OriginKey", "DestinationKey"))
    .Append(ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
    {
        LabelColumnName = nameof(Flight.Delay),
        FeatureColumnName = "Features",
        NumberOfThreads = threads,
        Seed = seed,
        // The trainer's default too: ML.NET exports LightGbm's categorical splits (on by itself above 50,000 rows)
        // as graphs ONNX Runtime rejects, so the build splits one-hot slots instead; same model, same work.
        UseCategoricalSplit = false,
    }));
var model = pipeline.Fit(train);
var metrics = ml.Regression.Evaluate(model.Transform(test), nameof(Flight.Delay));
Console.WriteLine($"trained on {rows - testCount} rows, tested on {testCount}: RSquared {metrics.RSquared:0.####}, MAE {metrics.MeanAbsoluteError:0.##}");

static async Task<(float[] Delay, float[] Distance, string[] Origin, string[] Destination)> ReadAsync(string path)
{
    using var stream = File.OpenRead(path);
    await using var reader = await ParquetReader.CreateAsync(stream);
    var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
    var delay = new List<float>();
    var distance = new List<float>();
    var origin = new List<string>();
    var destination = new List<string>();
    for (var g = 0; g < reader.RowGroupCount; g++)
    {
        using var group = reader.OpenRowGroupReader(g);
        var n = checked((int)group.RowCount);
        delay.AddRange(await Numbers(group, fields["delay"], n));
        distance.AddRange(await Numbers(group, fields["distance"], n));
        origin.AddRange(await Strings(group, fields["origin"], n));
        destination.AddRange(await Strings(group, fields["destination"], n));
    }
    return ([.. delay], [.. distance], [.. origin], [.. destination]);
}

static async Task<float[]> Numbers(ParquetRowGroupReader group, DataField field, int rows)
{
    if (field.ClrType == typeof(long))
    {
        var values = new long?[rows];
        await group.ReadAsync(field, values.AsMemory(), null);
        return values.Select(v => v.HasValue ? (float)v.Value : float.NaN).ToArray();
    }
    if (field.ClrType == typeof(int))
    {
        var values = new int?[rows];
        await group.ReadAsync(field, values.AsMemory(), null);
        return values.Select(v => v.HasValue ? (float)v.Value : float.NaN).ToArray();
    }
    var doubles = new double?[rows];
    await group.ReadAsync(field, doubles.AsMemory(), null);
    return doubles.Select(v => v.HasValue ? (float)v.Value : float.NaN).ToArray();
}

static async Task<string[]> Strings(ParquetRowGroupReader group, DataField field, int rows)
{
    var values = new string?[rows];
    await group.ReadAsync(field, values.AsMemory(), null);
    return values.Select(v => v ?? "").ToArray();
}

internal sealed class Flight
{
    public float Delay { get; set; }
    public float Distance { get; set; }
    public string Origin { get; set; } = "";
    public string Destination { get; set; } = "";
}

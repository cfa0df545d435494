using MLOps.Build.Trainer.Data;
using MLOps.Onnx;

namespace MLOps.Build.Trainer.Export.Compiled;

/// <summary>Rows for a graph's inputs: per input name, its values row after row (float[], long[], bool[] or string[]) and one row's shape.</summary>
public sealed record OnnxFeeds(IReadOnlyDictionary<string, Array> Values, IReadOnlyDictionary<string, int[]> RowShapes, int Rows)
{
    /// <summary>A table's features as the generated class feeds them.</summary>
    public static OnnxFeeds From(TrainingTable table)
    {
        var values = new Dictionary<string, Array>();
        var shapes = new Dictionary<string, int[]>();
        foreach (var feature in table.Features)
        {
            var (array, shape) = OnnxScoring.Feed(feature, table.RowCount);
            values[feature.Name] = array;
            shapes[feature.Name] = shape[1..];
        }
        return new OnnxFeeds(values, shapes, table.RowCount);
    }

    /// <summary>
    /// Seeded synthetic rows for a graph's inputs, from what the graph itself holds: each float drawn from the
    /// graph's own thresholds and imputed values (so that values fall exactly on split points), their neighbours,
    /// NaN, ±∞, ±0 and wide random values; each string from the graph's vocabularies, the empty string and a value
    /// seen nowhere. Inputs with a dynamic dimension after the row axis get none (such graphs are not compiled).
    /// </summary>
    public static OnnxFeeds Synthetic(byte[] onnx, int rows, int seed)
    {
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        var numbers = GraphNumbers(graph);
        var strings = GraphStrings(graph);
        var random = new Random(seed);
        var values = new Dictionary<string, Array>();
        var shapes = new Dictionary<string, int[]>();
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        foreach (var input in graph.Input.Where(i => !initializers.Contains(i.Name)))
        {
            var tensor = input.Type?.TensorType;
            var dims = tensor?.Shape?.Dim.Skip(1).Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (int)d.DimValue : -1).ToArray() ?? [];
            if (tensor is null || dims.Any(d => d <= 0))
            {
                continue;
            }
            var width = dims.Aggregate(1, (a, b) => a * b);
            var count = rows * width;
            shapes[input.Name] = dims;
            values[input.Name] = (TensorProto.Types.DataType)tensor.ElemType switch
            {
                TensorProto.Types.DataType.String => Enumerable.Range(0, count).Select(_ => PickString(random, strings)).ToArray(),
                TensorProto.Types.DataType.Int64 => Enumerable.Range(0, count).Select(_ => (long)random.Next(-3, 20)).ToArray(),
                TensorProto.Types.DataType.Int32 => Enumerable.Range(0, count).Select(_ => random.Next(-3, 20)).ToArray(),
                TensorProto.Types.DataType.Bool => Enumerable.Range(0, count).Select(_ => random.Next(2) == 1).ToArray(),
                _ => Enumerable.Range(0, count).Select(_ => PickNumber(random, numbers)).ToArray(),
            };
        }
        return new OnnxFeeds(values, shapes, rows);
    }

    /// <summary>Row <paramref name="row"/> alone.</summary>
    public OnnxFeeds Row(int row) => this with
    {
        Values = Values.ToDictionary(v => v.Key, v =>
        {
            var width = v.Value.Length / Rows;
            var one = Array.CreateInstance(v.Value.GetType().GetElementType()!, width);
            Array.Copy(v.Value, row * width, one, 0, width);
            return one;
        }),
        Rows = 1,
    };

    /// <summary>These rows followed by <paramref name="other"/>'s, for the inputs both have.</summary>
    public OnnxFeeds Concat(OnnxFeeds other)
    {
        var values = new Dictionary<string, Array>();
        foreach (var (name, mine) in Values)
        {
            if (!other.Values.TryGetValue(name, out var theirs) || mine.GetType() != theirs.GetType())
            {
                return this;
            }
            var joined = Array.CreateInstance(mine.GetType().GetElementType()!, mine.Length + theirs.Length);
            Array.Copy(mine, joined, mine.Length);
            Array.Copy(theirs, 0, joined, mine.Length, theirs.Length);
            values[name] = joined;
        }
        return this with { Values = values, Rows = Rows + other.Rows };
    }

    private static float PickNumber(Random random, float[] graphNumbers)
    {
        var roll = random.Next(100);
        if (roll < 5)
        {
            return float.NaN;
        }
        if (roll < 7)
        {
            return random.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        if (roll < 9)
        {
            return random.Next(2) == 0 ? 0f : -0f;
        }
        if (roll < 60 && graphNumbers.Length > 0)
        {
            var value = graphNumbers[random.Next(graphNumbers.Length)];
            return random.Next(3) switch { 0 => value, 1 => MathF.BitIncrement(value), _ => MathF.BitDecrement(value) };
        }
        return (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(0, 6)));
    }

    private static string PickString(Random random, string[] graphStrings)
    {
        var roll = random.Next(100);
        return roll < 8 ? "" : roll < 16 || graphStrings.Length == 0 ? "__mlops_unseen__" : graphStrings[random.Next(graphStrings.Length)];
    }

    private static float[] GraphNumbers(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute)
            .Where(a => a.Name is "nodes_values" or "imputed_value_floats" or "offset" or "threshold")
            .SelectMany(a => a.Type == AttributeProto.Types.AttributeType.Float ? [a.F] : a.Floats.AsEnumerable())
            .Where(float.IsFinite)
            .Distinct()
            .Order()
            .ToArray();

    private static string[] GraphStrings(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute)
            .Where(a => a.Name is "keys_strings" or "cats_strings" or "classlabels_strings")
            .SelectMany(a => a.Strings.Select(s => s.ToStringUtf8()))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
}

using System.Globalization;
using System.Text;
using MLOps.Build.Generators.Common;
using static MLOps.Build.Generators.Common.JsonObject;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>Turns modelcard.json (written by the trainer) into a <see cref="ModelSpec"/>.</summary>
internal static class ModelCardParser
{
    public const int SupportedSchemaVersion = 1;

    /// <summary>The trainer lists at most this many categories per input (the most frequent).</summary>
    private const int MaxCardCategories = 1000;
    private static readonly string[] ReservedNames = ["Input", "Output"];

    public static ModelParseResult Parse(ModelFile file)
    {
        try
        {
            var root = MiniJson.Parse(file.Text ?? "") as Dictionary<string, object?>
                ?? throw new FormatException("the card is not a JSON object");
            var version = Number(root, "schemaVersion");
            if ((int)version != SupportedSchemaVersion)
            {
                return Fail("MLOPS5003", file.Path, file.Path, ((int)version).ToString(CultureInfo.InvariantCulture), SupportedSchemaVersion.ToString(CultureInfo.InvariantCulture));
            }

            var task = String(root, "task");
            var classes = List(root, "classes").Select(c => (string)c!).ToEquatableArray();
            var inputs = List(root, "inputs").Select(i => ParseInput((Dictionary<string, object?>)i!)).ToEquatableArray();
            var outputs = List(root, "outputs").Select(o => ParseOutput((Dictionary<string, object?>)o!, task)).ToEquatableArray();
            var metrics = ((Dictionary<string, object?>?)Get(root, "metrics") ?? [])
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MetricSpec(m.Key, m.Value is double d ? d : double.NaN)).ToEquatableArray();
            var trainer = Get(root, "trainer") is Dictionary<string, object?> t ? String(t, "name") : "external ONNX model";

            var collision = FindCollision(file.ClassName, inputs.Select(i => i.Property), outputs.Select(o => o.Property));
            if (collision is not null)
            {
                return Fail("MLOPS5004", file.Path, collision);
            }
            // A graph whose first dimension is fixed (typically 1) takes one row per call.
            var supportsBatches = List(root, "inputs").All(i => List((Dictionary<string, object?>)i!, "shape").FirstOrDefault() is not double first || first < 0);
            var model = new ModelSpec(file.ModelName, file.ClassName, file.Namespace, file.Visibility, task,
                Get(root, "version") as string ?? "1.0.0", Get(root, "label") as string, trainer,
                Get(root, "fingerprint") as string ?? "", classes, inputs, outputs, metrics, supportsBatches);
            return new ModelParseResult(model, null);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or KeyNotFoundException or OverflowException or NullReferenceException)
        {
            return Fail("MLOPS5002", file.Path, file.Path, ex.Message);
        }
    }

    private static InputSpec ParseInput(Dictionary<string, object?> input)
    {
        var column = String(input, "column");
        var onnxType = String(input, "onnxType");
        var csharpType = String(input, "csharpType");
        var dimensions = RowDimensions(input);
        var scalarType = csharpType == "bool" && onnxType == "float" ? "bool" : CSharpType(onnxType);
        var width = dimensions.Aggregate(1L, (a, b) => a * b);
        var propertyType = width > 1 ? scalarType + "[]" : scalarType == "string" ? "string?" : scalarType;
        return new InputSpec(column, String(input, "property"), propertyType, String(input, "onnxName"), Kind(onnxType),
            dimensions.ToEquatableArray(), Describe(column, input, dimensions), Statistics(input));
    }

    private static InputStatisticsSpec? Statistics(Dictionary<string, object?> input)
    {
        if (Get(input, "statistics") is not Dictionary<string, object?> statistics)
        {
            return null;
        }
        var histogram = Get(statistics, "histogram") as Dictionary<string, object?>;
        var categories = (Get(statistics, "categories") as List<object?> ?? []).Cast<Dictionary<string, object?>>().ToArray();
        return new InputStatisticsSpec(
            Get(statistics, "min") as double?,
            Get(statistics, "max") as double?,
            (histogram is null ? Enumerable.Empty<double>() : List(histogram, "edges").Select(e => (double)e!)).ToEquatableArray(),
            (histogram is null ? Enumerable.Empty<long>() : List(histogram, "counts").Select(c => (long)(double)c!)).ToEquatableArray(),
            categories.Select(c => String(c, "value")).ToEquatableArray(),
            categories.Select(c => (long)Number(c, "count")).ToEquatableArray(),
            categories.Length < MaxCardCategories);
    }

    private static OutputSpec ParseOutput(Dictionary<string, object?> output, string task)
    {
        var name = String(output, "name");
        var onnxType = String(output, "onnxType");
        var dimensions = RowDimensions(output);
        var width = (int)dimensions.Aggregate(1L, (a, b) => a * b);
        var property = Get(output, "property") as string ?? (task == "multiclass" && name == "Score" ? "Scores" : name);
        var scalar = CSharpType(onnxType);
        return new OutputSpec(String(output, "onnxName"), property, width > 1 ? scalar + "[]" : scalar, Kind(onnxType), width, dimensions.ToEquatableArray());
    }

    /// <summary>The shape after the row axis; a dynamic dimension there counts as 1.</summary>
    private static long[] RowDimensions(Dictionary<string, object?> node)
    {
        var shape = List(node, "shape").Select(d => (long)(double)d!).ToArray();
        return shape.Length <= 1 ? [1] : shape.Skip(1).Select(d => d <= 0 ? 1 : d).ToArray();
    }

    private static string Describe(string column, Dictionary<string, object?> input, long[] dimensions)
    {
        var text = new StringBuilder($"Column '{column}'");
        if (dimensions.Length > 1 || dimensions[0] > 1)
        {
            text.Append(" (shape [").Append(string.Join(", ", dimensions)).Append("] per row, flattened)");
        }
        if (Get(input, "statistics") is Dictionary<string, object?> statistics)
        {
            if (Get(statistics, "min") is double min && Get(statistics, "max") is double max)
            {
                text.Append(FormattableString.Invariant($". Training data: {min:G6} to {max:G6}"));
                if (Get(statistics, "mean") is double mean)
                {
                    text.Append(FormattableString.Invariant($", mean {mean:G6}"));
                }
            }
            else if (Get(statistics, "categories") is List<object?> categories)
            {
                var values = categories.Select(c => (string)((Dictionary<string, object?>)c!)["value"]!).ToArray();
                text.Append(". Seen in training: ").Append(string.Join(", ", values.Take(10).Select(v => $"\"{v}\"")));
                if (values.Length > 10)
                {
                    text.Append(FormattableString.Invariant($" and {values.Length - 10} more"));
                }
            }
            if (Get(statistics, "missingRate") is double missing && missing > 0)
            {
                text.Append(FormattableString.Invariant($"; {missing:P1} missing"));
            }
        }
        return text.Append('.').ToString();
    }

    private static string? FindCollision(string className, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        foreach (var (names, owner) in new[] { (inputs.ToArray(), "Input"), (outputs.ToArray(), "Output") })
        {
            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                return $"Two {owner} properties of '{className}' are named '{duplicate.Key}'";
            }
            var reserved = names.FirstOrDefault(n => Array.IndexOf(ReservedNames, n) >= 0 || n == className || !IsIdentifier(n));
            if (reserved is not null)
            {
                return $"The {owner} property name '{reserved}' of '{className}' is reserved or not a valid identifier";
            }
        }
        return null;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string CSharpType(string onnxType) => onnxType switch
    {
        "float" => "float",
        "double" => "double",
        "int32" => "int",
        "int64" => "long",
        "bool" => "bool",
        "string" => "string",
        _ => throw new FormatException($"the ONNX element type '{onnxType}' is not supported"),
    };

    private static string Kind(string onnxType) => onnxType switch
    {
        "float" => "Float",
        "double" => "Double",
        "int32" => "Int32",
        "int64" => "Int64",
        "bool" => "Bool",
        "string" => "String",
        _ => throw new FormatException($"the ONNX element type '{onnxType}' is not supported"),
    };

    private static ModelParseResult Fail(string id, string path, params string[] arguments) =>
        new(null, new DiagnosticSpec(id, path, arguments.ToEquatableArray()));
}

using System.Globalization;
using System.Text;
using MLOps.Build.Generators.Common;
using MLOps.Shared;
using static MLOps.Build.Generators.Common.JsonObject;
using K = MLOps.Shared.ModelCardKeys;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>Turns modelcard.json (written by the trainer) into a <see cref="ModelSpec"/>.</summary>
internal static class ModelCardParser
{

    /// <param name="monitoring">The model's monitoring.json; null before its first resolve.</param>
    public static ModelParseResult Parse(ModelFile file, string? monitoring = null)
    {
        try
        {
            var root = ParseObject(file.Text ?? "", "model card");
            var version = Number(root, K.SchemaVersion);
            if (!K.IsReadable((int)version))
            {
                return Fail(DiagnosticDescriptors.UnknownSchemaVersion, file.Path, file.Path, ((int)version).ToString(CultureInfo.InvariantCulture),
                    FormattableString.Invariant($"{K.OldestSchemaVersion} to {K.CurrentSchemaVersion}"));
            }

            var task = ModelKinds.Parse(String(root, K.Task));
            var classes = Strings(root, K.Classes).ToEquatableArray();
            var inputCards = Objects(root, K.Inputs).ToArray();
            var inputs = inputCards.Select(ParseInput).ToEquatableArray();
            var outputs = Objects(root, K.Outputs).Select(o => ParseOutput(o, task)).ToEquatableArray();
            var metrics = (OptionalObject(root, K.Metrics) ?? new MiniJsonObject())
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MetricSpec(m.Key, m.Value is double d ? d : double.NaN)).ToEquatableArray();
            var trainer = OptionalObject(root, K.Trainer) is { } t ? String(t, K.TrainerSettings.Name) : "external ONNX model";

            var tooLong = ExactValues(file.ModelName, classes, inputs, outputs).FirstOrDefault(v => v.Length > TextLimits.LiteralLength);
            if (tooLong is not null)
            {
                return Fail(DiagnosticDescriptors.ModelCardUnreadable, file.Path, file.Path, string.Format(CultureInfo.InvariantCulture,
                    "it holds a value of {0:N0} characters that generated code must carry exactly (a class, a name, a replacement), more than the {1:N0} it allows",
                    tooLong.Length, TextLimits.LiteralLength));
            }
            var collision = FindCollision(file.ClassName, inputs.Select(i => i.Property), outputs.Select(o => o.Property));
            if (collision is not null)
            {
                return Fail(DiagnosticDescriptors.IdentifierCollision, file.Path, collision);
            }
            // A graph whose first dimension is fixed (typically 1) takes one row per call.
            var supportsBatches = inputCards.All(i => Numbers(i, K.Input.Shape).Take(1).All(first => first < 0));
            var model = new ModelSpec(file.ModelName, file.ClassName, file.Namespace, file.Visibility, task,
                OptionalString(root, K.Version) ?? "1.0.0", OptionalString(root, K.Label), trainer,
                OptionalString(root, K.Fingerprint) ?? "", classes, inputs, outputs, metrics, supportsBatches)
            {
                Sweep = OptionalObject(root, K.Sweep) is { } sweep ? DescribeSweep(sweep) : "",
                Compiled = OptionalObject(root, K.Scoring) is { } scoring && OptionalString(scoring, K.ScoringEngine.Engine) == K.ScoringEngine.Compiled,
                OnnxRuntimeReason = OptionalObject(root, K.Scoring) is { } fallback ? OptionalString(fallback, K.ScoringEngine.Reason) ?? "" : "",
                Monitoring = MonitoringParser.Parse(monitoring, inputs),
                CalibrationBinRows = Bins(root, K.CalibrationKeys.BinRows),
                CalibrationBinCorrect = Bins(root, K.CalibrationKeys.BinCorrect),
            };
            return new ModelParseResult(model, null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return Fail(DiagnosticDescriptors.ModelCardUnreadable, file.Path, file.Path, ex.Message);
        }
    }

    /// <summary>A calibration array of the card (whole counts, one per bin); empty without a calibration the estimate applies.</summary>
    private static EquatableArray<long> Bins(MiniJsonObject root, string key) =>
        OptionalObject(root, K.Calibration) is { } calibration && Get(calibration, K.CalibrationKeys.Applied) is true && Get(calibration, key) is not null
            ? Numbers(calibration, key).Select(n => n >= 0 && n <= long.MaxValue && n == Math.Floor(n) ? (long)n : throw new FormatException($"calibration.{key} holds {n}, not a row count"))
                .ToEquatableArray()
            : EquatableArray<long>.Empty;

    /// <summary>The texts generated code holds as literals that must be exact for the model to work.</summary>
    private static IEnumerable<string> ExactValues(string modelName, IEnumerable<string> classes, IEnumerable<InputSpec> inputs, IEnumerable<OutputSpec> outputs) =>
        new[] { modelName }.Concat(classes)
            .Concat(inputs.SelectMany(i => new[] { i.OnnxName, i.Replacement ?? "" }.Concat(i.DimensionNames)))
            .Concat(outputs.Select(o => o.OnnxName));

    private static string DescribeSweep(MiniJsonObject sweep)
    {
        var best = Object(sweep, K.SweepSummary.Best);
        var options = Object(best, K.SweepSummary.BestOptions).OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => $"{o.Key} {o.Value switch { double d => d.ToString("G6", CultureInfo.InvariantCulture), bool b => b ? "true" : "false", var v => v }}");
        return FormattableString.Invariant(
            $"Chosen by a {String(sweep, K.SweepSummary.Strategy)} sweep of {Number(sweep, K.SweepSummary.Configurations):0} trials: {String(best, K.SweepSummary.BestTrainer)} ({string.Join(", ", options)}), {Number(sweep, K.SweepSummary.Folds):0}-fold {String(sweep, K.SweepSummary.Metric)} {Number(best, K.SweepSummary.BestMean):0.####} ± {Number(best, K.SweepSummary.BestStandardDeviation):0.####}.");
    }

    private static InputSpec ParseInput(MiniJsonObject input)
    {
        var column = String(input, K.Input.Column);
        var onnxType = String(input, K.Input.OnnxType);
        var csharpType = String(input, K.Input.CSharpType);
        var dimensions = RowDimensions(input, K.Input.Shape);
        var scalarType = csharpType == "bool" && onnxType == "float" ? "bool" : CSharpType(onnxType);
        var width = dimensions.Aggregate(1L, (a, b) => a * b);
        var dateParts = Get(input, K.Input.DateParts) is null ? [] : Strings(input, K.Input.DateParts).ToArray();
        var dynamicDimensions = dimensions.Count(d => d < 0);
        var propertyType = dateParts.Length > 0 ? "global::System.DateTime?"
            : dynamicDimensions > 1 ? $"global::MLOps.Runtime.ModelTensor<{scalarType}>"
            : dynamicDimensions == 1 || width > 1 ? scalarType + "[]"
            : scalarType == "string" ? "string?" : scalarType;
        var statistics = OptionalObject(input, K.Input.Statistics);
        var preprocessing = OptionalObject(input, K.Input.Preprocessing);
        var kind = OptionalString(input, K.Input.Kind) ?? "tensor";
        return new InputSpec(column, String(input, K.Input.Property), propertyType, String(input, K.Input.OnnxName), Kind(onnxType),
            dimensions.ToEquatableArray(), Describe(column, kind, statistics, dimensions, dateParts, preprocessing, ShapeNames(input, K.Input.ShapeNames)), Statistics(kind == "text" ? null : statistics))
        {
            Lowercase = preprocessing is not null && Get(preprocessing, K.InputPreprocessing.Lowercase) is true,
            Replacement = preprocessing is null ? null : OptionalString(preprocessing, K.InputPreprocessing.Replacement),
            DateParts = dateParts.Length,
            DimensionNames = (ShapeNames(input, K.Input.ShapeNames) ?? []).ToEquatableArray(),
        };
    }

    private static InputStatisticsSpec? Statistics(MiniJsonObject? statistics)
    {
        if (statistics is null)
        {
            return null;
        }
        var histogram = OptionalObject(statistics, K.Statistics.Histogram);
        var categories = Get(statistics, K.Statistics.Categories) is null ? [] : Objects(statistics, K.Statistics.Categories).ToArray();
        return new InputStatisticsSpec(
            OptionalNumber(statistics, K.Statistics.Min),
            OptionalNumber(statistics, K.Statistics.Max),
            (histogram is null ? [] : Numbers(histogram, K.Statistics.HistogramEdges)).ToEquatableArray(),
            (histogram is null ? [] : Numbers(histogram, K.Statistics.HistogramCounts).Select(c => (long)c)).ToEquatableArray(),
            categories.Select(c => String(c, K.Statistics.CategoryValue)).ToEquatableArray(),
            categories.Select(c => (long)Number(c, K.Statistics.CategoryCount)).ToEquatableArray(),
            // The card states whether its list is whole; older cards are read by the listing limit.
            OptionalBoolean(statistics, K.Statistics.CategoriesTruncated) is { } truncated ? !truncated : categories.Length < K.Statistics.CategoriesListed);
    }

    private static OutputSpec ParseOutput(MiniJsonObject output, ModelKind task)
    {
        var name = String(output, K.Output.Name);
        var onnxType = String(output, K.Output.OnnxType);
        var dimensions = RowDimensions(output, K.Output.Shape);
        var width = (int)dimensions.Aggregate(1L, (a, b) => a * b);
        var property = OptionalString(output, K.Output.Property) ?? CSharpIdentifiers.OutputProperty(name, task == ModelKind.Multiclass);
        var scalar = CSharpType(onnxType);
        if (dimensions.Any(d => d < 0))
        {
            // The shape is known only when ONNX Runtime has computed it: the property carries it.
            return new OutputSpec(String(output, K.Output.OnnxName), property, $"global::MLOps.Runtime.ModelTensor<{scalar}>", Kind(onnxType), -1, dimensions.ToEquatableArray())
            {
                ShapeText = ShapeText(dimensions, ShapeNames(output, K.Output.ShapeNames)),
            };
        }
        return new OutputSpec(String(output, K.Output.OnnxName), property, width > 1 ? scalar + "[]" : scalar, Kind(onnxType), width, dimensions.ToEquatableArray());
    }

    /// <summary>The shape after the row axis; −1 marks a dynamic dimension.</summary>
    private static long[] RowDimensions(MiniJsonObject node, string key)
    {
        var shape = Numbers(node, key).Select(d => (long)d).ToArray();
        return shape.Length <= 1 ? [1] : shape.Skip(1).Select(d => d < 0 ? -1 : d).ToArray();
    }

    /// <summary>The dimension names after the row axis ("sequence"), or "?" for an unnamed dynamic one; null when the card has none.</summary>
    private static string[]? ShapeNames(MiniJsonObject node, string key) =>
        Get(node, key) is null ? null : Strings(node, key).Skip(1).ToArray();

    private static string ShapeText(long[] dimensions, string[]? names) =>
        "[" + string.Join(", ", dimensions.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : names is not null && i < names.Length && names[i].Length > 0 ? names[i] : "?")) + "]";

    private static string Describe(string column, string kind, MiniJsonObject? statistics, long[] dimensions, string[] dateParts, MiniJsonObject? preprocessing, string[]? shapeNames)
    {
        // Values from the data are cut here and escaped when the sentence is written (GeneratedText.DocText).
        var text = new StringBuilder($"Column '{GeneratedText.DocumentedValue(column)}'");
        if (dimensions.Any(d => d < 0))
        {
            var dynamicCount = dimensions.Count(d => d < 0);
            text.Append($" (shape {ShapeText(dimensions, shapeNames)} per row, decided per call: ")
                .Append(dynamicCount == 1 ? "the array's length sets the dynamic dimension)" : "give the data and its shape)");
            return text.Append('.').ToString();
        }
        if (dateParts.Length > 0)
        {
            text.Append($" ({kind}: the model sees its {string.Join(", ", dateParts)})");
            if (statistics is not null && OptionalString(statistics, K.Statistics.First) is { } first && OptionalString(statistics, K.Statistics.Last) is { } last)
            {
                text.Append($". Training data: {GeneratedText.DocumentedValue(first)} to {GeneratedText.DocumentedValue(last)}");
            }
            return text.Append('.').ToString();
        }
        if (kind == "text")
        {
            text.Append(" (free text: word and character n-grams");
            if (preprocessing is not null && Get(preprocessing, K.InputPreprocessing.Lowercase) is true)
            {
                text.Append(", lower-cased first");
            }
            text.Append(')');
            if (statistics is not null && OptionalObject(statistics, K.Statistics.Text) is { } words)
            {
                text.Append(FormattableString.Invariant($". Training data: {Number(words, K.Statistics.TextVocabulary):N0} distinct words, {Number(words, K.Statistics.TextMeanWords):0.#} words per row on average"));
            }
            return text.Append('.').ToString();
        }
        if (dimensions.Length > 1 || dimensions[0] > 1)
        {
            text.Append(" (shape [").Append(string.Join(", ", dimensions)).Append("] per row, flattened)");
        }
        if (statistics is not null)
        {
            if (OptionalNumber(statistics, K.Statistics.Min) is { } min && OptionalNumber(statistics, K.Statistics.Max) is { } max)
            {
                text.Append(FormattableString.Invariant($". Training data: {min:G6} to {max:G6}"));
                if (OptionalNumber(statistics, K.Statistics.Mean) is { } mean)
                {
                    text.Append(FormattableString.Invariant($", mean {mean:G6}"));
                }
            }
            else if (Get(statistics, K.Statistics.Categories) is not null)
            {
                var values = Objects(statistics, K.Statistics.Categories).Select(c => String(c, K.Statistics.CategoryValue)).ToArray();
                text.Append(". Seen in training: ").Append(string.Join(", ", values.Take(10).Select(v => $"\"{GeneratedText.DocumentedValue(v)}\"")));
                if (values.Length > 10)
                {
                    text.Append(FormattableString.Invariant($" and {values.Length - 10} more"));
                }
            }
            if (OptionalNumber(statistics, K.Statistics.MissingRate) is { } missing && missing > 0)
            {
                text.Append(FormattableString.Invariant($"; {missing:P1} missing"));
            }
        }
        return text.Append('.').ToString();
    }

    private static string? FindCollision(string className, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        foreach (var (names, owner, reservedName) in new[] { (inputs.ToArray(), "Input", CSharpIdentifiers.ReservedInputProperty), (outputs.ToArray(), "Output", CSharpIdentifiers.ReservedOutputProperty) })
        {
            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                return $"Two {owner} properties of '{className}' are named '{duplicate.Key}'";
            }
            var reserved = names.FirstOrDefault(n => n == reservedName || !CSharpIdentifiers.IsValid(n));
            if (reserved is not null)
            {
                return $"The {owner} property name '{reserved}' of '{className}' is reserved or not a valid identifier";
            }
        }
        return null;
    }

    private static string CSharpType(string onnxType) =>
        MLOps.Shared.ElementTypes.CSharpKeyword(onnxType) ?? throw new FormatException($"the ONNX element type '{onnxType}' is not supported");

    private static ElementKind Kind(string onnxType) =>
        MLOps.Shared.ElementTypes.TensorKindName(onnxType) is { } name
            ? (ElementKind)Enum.Parse(typeof(ElementKind), name)
            : throw new FormatException($"the ONNX element type '{onnxType}' is not supported");

    private static ModelParseResult Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, string path, params string[] arguments) =>
        new(null, new DiagnosticSpec(descriptor, path, arguments.ToEquatableArray()));
}

using MLOps.Build.Diagnostics;
using MLOps.Build.Drift;
using MLOps.Build.Json;
using MLOps.Build.Text;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

/// <summary>
/// Turns manifest text into a <see cref="ModelManifest"/>, reporting every problem it finds (not just the first)
/// at the line and column it comes from. Returns null when the manifest cannot be used.
/// </summary>
public sealed partial class ManifestParser
{
    internal static readonly string[] RootKeys =
        ["$schema", "name", "version", "description", "task", "label", "positiveClass", "data", "columns", "exclude", "rows",
         "trainer", "onnx", "sweep", "seed", "parityTolerance", "validation", "importance", "gates", "enforce", "drift"];
    internal static readonly string[] DataKeys = ["train", "test", "testFraction"];
    internal static readonly string[] FileKeys = ["path", "sha256"];
    internal static readonly string[] TrainerKeys = ["name", "options"];
    internal static readonly string[] GateKeys = ["metric", "min", "max", "maxIncrease", "maxDecrease"];
    internal static readonly string[] ImportanceKeys = ["rows", "permutations"];
    internal static readonly string[] DriftKeys = ["current", "method", "threshold", "share", "features", "maxCalibrationError"];
    internal static readonly string[] DriftFeatureKeys = ["method", "threshold"];

    private readonly DiagnosticBag _diagnostics;
    private readonly Snapshots.SnapshotStore? _snapshots;

    private ManifestParser(DiagnosticBag diagnostics, Snapshots.SnapshotStore? snapshots)
    {
        _diagnostics = diagnostics;
        _snapshots = snapshots;
    }

    /// <param name="snapshots">Where query snapshots are; null: <see cref="Snapshots.SnapshotStore.FromEnvironment"/>, when a manifest has a query.</param>
    public static ModelManifest? ParseFile(string path, DiagnosticBag diagnostics, Snapshots.SnapshotStore? snapshots = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(D.ManifestNotFound, FileLocation.File(path), $"Cannot read the model manifest '{path}': {ex.Message}");
            return null;
        }
        return Parse(new FileText(path, bytes), diagnostics, snapshots);
    }

    public static ModelManifest? Parse(FileText source, DiagnosticBag diagnostics, Snapshots.SnapshotStore? snapshots = null) =>
        new ManifestParser(diagnostics, snapshots).ParseRoot(source);

    private ModelManifest? ParseRoot(FileText source)
    {
        var parsed = LocatedJsonParser.Parse(source);
        if (parsed.Root is null)
        {
            _diagnostics.Add(D.InvalidJson, parsed.ErrorLocation, $"The manifest is not valid JSON: {parsed.Error}.");
            return null;
        }
        if (parsed.Root is not LocatedObject root)
        {
            _diagnostics.Add(D.WrongValueType, parsed.Root.Location, $"A manifest must be a JSON object, not a {parsed.Root.KindName}.");
            return null;
        }

        var errorsBefore = _diagnostics.Items.Count(d => d.Severity == DiagnosticLevel.Error);
        CheckKeys(root, RootKeys, "");

        var name = RequiredString(root, "name");
        if (name is not null && !CSharpIdentifiers.IsValid(name.Value.Text))
        {
            _diagnostics.Add(D.InvalidIdentifier, name.Value.Location,
                $"The model name '{name.Value.Text}' is not a valid C# identifier; it names the generated class (letters, digits and '_', not starting with a digit, at most {CSharpIdentifiers.MaxLength} characters).");
        }
        else if (name is not null && !CSharpIdentifiers.IsValidClassName(name.Value.Text))
        {
            _diagnostics.Add(D.InvalidIdentifier, name.Value.Location,
                $"The model name '{name.Value.Text}' names the generated class, and '{name.Value.Text}' is reserved there ({string.Join(", ", CSharpIdentifiers.ReservedClassNames)}); choose another name, such as '{name.Value.Text}Model'.");
        }

        // An imported model may leave out the task: its classes come from the graph's inputs and outputs.
        var importOnly = root.Find("onnx") is not null && root.Find("trainer") is null && root.Find("sweep") is null;
        var taskText = importOnly ? OptionalString(root, "task") : RequiredString(root, "task");
        var task = ModelTask.Multiclass;
        var taskKnown = false;
        if (taskText is not null)
        {
            taskKnown = ModelTasks.TryParse(taskText.Value.Text, out task);
            if (!taskKnown)
            {
                _diagnostics.Add(D.UnknownTask, taskText.Value.Location,
                    $"Unknown task '{taskText.Value.Text}'; expected one of {string.Join(", ", ModelTasks.Names.Select(n => $"'{n}'"))}.{Suggestions.DidYouMean(taskText.Value.Text, ModelTasks.Names)}");
            }
        }

        var trainer = ParseTrainer(root, task, taskKnown);
        var onnx = OptionalFile(root, "onnx", DataFileReference.OnnxRole);
        var sweep = ParseSweep(root, task, taskKnown);
        var trains = root.Find("trainer") is not null || root.Find("sweep") is not null;
        if (trainer is null && onnx is null && !trains)
        {
            _diagnostics.Add(D.TrainerOrOnnx, root.Location, "The manifest needs a 'trainer' or a 'sweep' to train a model, or 'onnx' to import one.");
        }
        else if (trains && root.Find("onnx") is not null)
        {
            _diagnostics.Add(D.TrainerOrOnnx, root.Find("onnx")!.NameLocation, $"The manifest has both '{(root.Find("trainer") is not null ? "trainer" : "sweep")}' and 'onnx'; an imported model is not trained.");
        }

        var importing = root.Find("onnx") is not null && !trains;
        var label = importing ? OptionalString(root, "label") : RequiredString(root, "label");
        var (train, test, testFraction) = ParseData(root, requireTrain: !importing);

        var manifest = new ModelManifest
        {
            Path = source.Path,
            Source = source,
            Root = root,
            Name = name?.Text ?? "",
            NameLocation = name?.Location ?? root.Location,
            Version = OptionalString(root, "version")?.Text ?? "1.0.0",
            Task = task,
            HasTask = taskText is not null,
            TaskLocation = taskText?.Location ?? root.Location,
            Label = label?.Text,
            LabelLocation = label?.Location ?? root.Location,
            PositiveClass = OptionalString(root, "positiveClass")?.Text,
            Train = train,
            Test = test,
            TestFraction = testFraction,
            Columns = ParseColumns(root),
            Exclude = ParseExclude(root),
            Rows = ParseRows(root),
            Trainer = trainer,
            Onnx = onnx,
            Sweep = sweep,
            Seed = (int)(OptionalNumber(root, "seed", 0, int.MaxValue, integer: true) ?? 42),
            ParityTolerance = OptionalNumber(root, "parityTolerance", 0, 1, integer: false) ?? 1e-4,
            Gates = ParseGates(root, task, taskKnown),
            GatesAreWarnings = ParseEnforce(root),
            Folds = ParseFolds(root),
            Importance = ParseImportance(root),
            Drift = ParseDrift(root),
        };

        // An estimate is made on the current data only: without drift.current its gate would pass unjudged.
        foreach (var gate in manifest.Gates.Where(g => MetricCatalog.IsEstimated(g.Metric) && manifest.Drift is null))
        {
            _diagnostics.Add(D.InvalidGate, gate.Location,
                $"The gate on '{gate.Metric}' judges an estimate on the current data; add \"drift\": {{ \"current\": \"…\" }} to make one.");
        }

        var errorsAfter = _diagnostics.Items.Count(d => d.Severity == DiagnosticLevel.Error);
        return errorsAfter == errorsBefore ? manifest : null;
    }

    private TrainerSpec? ParseTrainer(LocatedObject root, ModelTask task, bool taskKnown)
    {
        var property = root.Find("trainer");
        if (property is null)
        {
            return null;
        }
        // "trainer": "LightGbm" is shorthand for { "name": "LightGbm" }.
        if (property.Value is LocatedScalar { Kind: LocatedKind.String } shorthand)
        {
            return CheckTrainerName(shorthand.Text!, shorthand.Location, [], task, taskKnown);
        }
        if (property.Value is not LocatedObject trainer)
        {
            WrongType(property, "an object such as { \"name\": \"LightGbm\" }");
            return null;
        }
        CheckKeys(trainer, TrainerKeys, "trainer.");
        var name = RequiredString(trainer, "name", "trainer.");
        IReadOnlyList<LocatedProperty> options = [];
        if (trainer.Find("options") is { } optionsProperty)
        {
            if (optionsProperty.Value is LocatedObject optionsObject)
            {
                options = optionsObject.Properties;
            }
            else
            {
                WrongType(optionsProperty, "an object of option names and values");
            }
        }
        return name is null ? null : CheckTrainerName(name.Value.Text, name.Value.Location, options, task, taskKnown);
    }

    private TrainerSpec CheckTrainerName(string name, FileLocation location, IReadOnlyList<LocatedProperty> options, ModelTask task, bool taskKnown)
    {
        if (taskKnown && !TrainerCatalog.IsKnown(task, name))
        {
            var known = TrainerCatalog.For(task);
            _diagnostics.Add(D.UnknownTrainer, location,
                $"Unknown trainer '{name}' for task '{task.ToName()}'.{Suggestions.DidYouMean(name, known)} Known trainers: {string.Join(", ", known)}.");
        }
        return new TrainerSpec(name, location, options);
    }

    private (DataFileReference? Train, DataFileReference? Test, double TestFraction) ParseData(LocatedObject root, bool requireTrain)
    {
        var property = root.Find("data");
        if (property is null)
        {
            if (requireTrain)
            {
                _diagnostics.Add(D.MissingField, root.Location, "The manifest has no 'data' section; add \"data\": { \"train\": { \"path\": \"…\" } }.");
            }
            return (null, null, 0.2);
        }
        if (property.Value is not LocatedObject data)
        {
            WrongType(property, "an object with 'train' and optionally 'test'");
            return (null, null, 0.2);
        }
        CheckKeys(data, DataKeys, "data.");
        var train = OptionalFile(data, "train", "data.train");
        if (train is null && requireTrain && data.Find("train") is null)
        {
            _diagnostics.Add(D.MissingField, property.NameLocation, "The 'data' section has no 'train' file.");
        }
        var test = OptionalFile(data, "test", "data.test");
        var fraction = OptionalNumber(data, "testFraction", 0.01, 0.99, integer: false) ?? 0.2;
        return (train, test, fraction);
    }

    private DataFileReference? OptionalFile(LocatedObject parent, string key, string role)
    {
        var property = parent.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is LocatedScalar { Kind: LocatedKind.String } bare)
        {
            return CheckPath(new DataFileReference(role, bare.Text!, bare.Location, null, null, bare));
        }
        if (property.Value is not LocatedObject file)
        {
            WrongType(property, "an object { \"path\": \"…\", \"sha256\": \"…\" }");
            return null;
        }
        if (file.Find("sql") is not null && role != DataFileReference.OnnxRole)
        {
            return ParseQuery(file, role);
        }
        CheckKeys(file, FileKeys, role + ".");
        var path = RequiredString(file, "path", role + ".");
        if (path is null)
        {
            return null;
        }
        var shaNode = ParseSha256(file, role);
        return CheckPath(new DataFileReference(role, path.Value.Text, path.Value.Location, shaNode?.Text?.ToLowerInvariant(), shaNode, file));
    }

    private LocatedScalar? ParseSha256(LocatedObject file, string role)
    {
        LocatedScalar? shaNode = null;
        if (file.Find("sha256") is { } shaProperty)
        {
            if (shaProperty.Value is LocatedScalar { Kind: LocatedKind.String } sha)
            {
                shaNode = sha;
                if (sha.Text!.Length != 64 || !sha.Text.All(Uri.IsHexDigit))
                {
                    _diagnostics.Add(D.InvalidValue, sha.Location, $"'{role}.sha256' must be 64 hexadecimal digits; run the build with -p:MLOpsUpdateLock=true to compute it.");
                }
            }
            else
            {
                WrongType(shaProperty, "a string of 64 hexadecimal digits");
            }
        }
        return shaNode;
    }

    private DataFileReference? CheckPath(DataFileReference file)
    {
        if (string.IsNullOrWhiteSpace(file.RelativePath))
        {
            _diagnostics.Add(D.InvalidValue, file.PathLocation, $"'{file.Role}' has an empty path.");
            return null;
        }
        return file;
    }

    private IReadOnlyList<LocatedName> ParseExclude(LocatedObject root)
    {
        var property = root.Find("exclude");
        if (property is null)
        {
            return [];
        }
        if (property.Value is not LocatedArray array)
        {
            WrongType(property, "an array of column names");
            return [];
        }
        var result = new List<LocatedName>();
        foreach (var item in array.Items)
        {
            if (item is LocatedScalar { Kind: LocatedKind.String } name)
            {
                result.Add(new LocatedName(name.Text!, name.Location));
            }
            else
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"'exclude' lists column names; found a {item.KindName}.");
            }
        }
        return result;
    }

    private IReadOnlyList<GateSpec> ParseGates(LocatedObject root, ModelTask task, bool taskKnown)
    {
        var property = root.Find("gates");
        if (property is null)
        {
            return [];
        }
        if (property.Value is not LocatedArray array)
        {
            WrongType(property, "an array of gates such as { \"metric\": \"MacroAccuracy\", \"min\": 0.9 }");
            return [];
        }
        var result = new List<GateSpec>();
        foreach (var item in array.Items)
        {
            if (item is not LocatedObject gate)
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"A gate is an object such as {{ \"metric\": \"MacroAccuracy\", \"min\": 0.9 }}; found a {item.KindName}.");
                continue;
            }
            CheckKeys(gate, GateKeys, "gates[].");
            var metric = RequiredString(gate, "metric", "gates[].");
            if (metric is null)
            {
                continue;
            }
            if (taskKnown && !MetricCatalog.IsKnown(task, metric.Value.Text))
            {
                var estimated = MetricCatalog.Estimated(task) is { } e ? MetricCatalog.EstimatedPrefix + e : null;
                var known = MetricCatalog.For(task).Concat(estimated is null ? [] : [estimated]).ToArray();
                _diagnostics.Add(D.UnknownMetric, metric.Value.Location,
                    $"Unknown metric '{metric.Value.Text}' for task '{task.ToName()}'.{Suggestions.DidYouMean(metric.Value.Text, known)} Known metrics: {string.Join(", ", known)}{(estimated is null ? "" : $" ({estimated}: estimated without labels on drift.current)")}.");
            }
            var min = OptionalNumber(gate, "min", double.MinValue, double.MaxValue, integer: false);
            var max = OptionalNumber(gate, "max", double.MinValue, double.MaxValue, integer: false);
            var (maxIncrease, increaseRelative) = ChangeBound(gate, "maxIncrease");
            var (maxDecrease, decreaseRelative) = ChangeBound(gate, "maxDecrease");
            if (maxIncrease is not null && maxDecrease is not null && increaseRelative != decreaseRelative)
            {
                _diagnostics.Add(D.InvalidValue, gate.Location, $"The gate on '{metric.Value.Text}' mixes an absolute and a relative change bound; use one form for both.");
            }
            if (MetricCatalog.IsEstimated(metric.Value.Text) && (gate.Find("maxIncrease") ?? gate.Find("maxDecrease")) is { } change)
            {
                _diagnostics.Add(D.InvalidGate, change.NameLocation,
                    $"The gate on '{metric.Value.Text}' takes 'min' and 'max': an estimate on current data is not compared with the accepted model's.");
            }
            // Presence, not validity: a malformed bound has been reported already.
            if (new[] { "min", "max", "maxIncrease", "maxDecrease" }.All(key => gate.Find(key) is null))
            {
                _diagnostics.Add(D.InvalidGate, gate.Location, $"The gate on '{metric.Value.Text}' sets no bound; add 'min', 'max', 'maxIncrease' or 'maxDecrease'.");
            }
            result.Add(new GateSpec(metric.Value.Text, gate.Location, min, max, maxIncrease, maxDecrease, increaseRelative || decreaseRelative));
        }
        return result;
    }

    /// <summary>A change bound: a number (absolute) or a percentage string such as "5%" (of the accepted value).</summary>
    private (double? Value, bool Relative) ChangeBound(LocatedObject gate, string key)
    {
        var property = gate.Find(key);
        if (property?.Value is LocatedScalar { Kind: LocatedKind.String } text)
        {
            var trimmed = text.Text!.Trim();
            if (trimmed.EndsWith("%", StringComparison.Ordinal)
                && double.TryParse(trimmed.Substring(0, trimmed.Length - 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent)
                && percent >= 0)
            {
                return (percent / 100, true);
            }
            _diagnostics.Add(D.InvalidValue, text.Location, $"'{key}' must be a number or a percentage such as \"5%\"; found \"{text.Text}\".");
            return (null, false);
        }
        return (OptionalNumber(gate, key, 0, double.MaxValue, integer: false), false);
    }

    private int ParseFolds(LocatedObject root)
    {
        var property = root.Find("validation");
        if (property is null)
        {
            return 0;
        }
        if (property.Value is not LocatedObject validation)
        {
            WrongType(property, "an object such as { \"folds\": 5 }");
            return 0;
        }
        CheckKeys(validation, ["folds"], "validation.");
        return (int)(OptionalNumber(validation, "folds", 2, 20, integer: true) ?? 0);
    }

    /// <summary><c>"importance": false</c>, <c>true</c>, or <c>{ "rows": 20000, "permutations": 5 }</c>.</summary>
    private ImportanceSpec ParseImportance(LocatedObject root)
    {
        var property = root.Find("importance");
        switch (property?.Value)
        {
            case null:
                return ImportanceSpec.Default;
            case LocatedScalar { Kind: LocatedKind.True }:
                return ImportanceSpec.Default;
            case LocatedScalar { Kind: LocatedKind.False }:
                return ImportanceSpec.Off;
            case LocatedObject settings:
                CheckKeys(settings, ImportanceKeys, "importance.");
                return new ImportanceSpec(true,
                    (int)(OptionalNumber(settings, "rows", 100, 10_000_000, integer: true) ?? ImportanceSpec.DefaultRows),
                    (int)(OptionalNumber(settings, "permutations", 1, 50, integer: true) ?? ImportanceSpec.DefaultPermutations));
            default:
                WrongType(property, "true, false or an object such as { \"rows\": 20000, \"permutations\": 5 }");
                return ImportanceSpec.Default;
        }
    }

    private bool ParseEnforce(LocatedObject root)
    {
        var enforce = OptionalString(root, "enforce");
        if (enforce is null || enforce.Value.Text == "error")
        {
            return false;
        }
        if (enforce.Value.Text == "warn")
        {
            return true;
        }
        _diagnostics.Add(D.InvalidValue, enforce.Value.Location, $"'enforce' must be \"error\" or \"warn\"; found \"{enforce.Value.Text}\".{Suggestions.DidYouMean(enforce.Value.Text, ["error", "warn"])}");
        return false;
    }

    private DriftSpec? ParseDrift(LocatedObject root)
    {
        var property = root.Find("drift");
        if (property is null)
        {
            return null;
        }
        if (property.Value is not LocatedObject drift)
        {
            WrongType(property, "an object such as { \"current\": \"data/recent.csv\" }");
            return null;
        }
        CheckKeys(drift, DriftKeys, "drift.");
        var method = DriftMethod(drift);
        var threshold = OptionalNumber(drift, "threshold", 0, double.MaxValue, integer: false);
        var share = OptionalNumber(drift, "share", 0, 1, integer: false) ?? DriftMethods.DefaultShare;
        var maxCalibrationError = OptionalNumber(drift, "maxCalibrationError", 0, 1, integer: false) ?? MLOps.Shared.ClassifierConfidence.DefaultMaxCalibrationError;
        var features = new List<DriftFeatureSpec>();
        var featuresProperty = drift.Find("features");
        if (featuresProperty is not null && featuresProperty.Value is not LocatedObject)
        {
            WrongType(featuresProperty, "an object such as { \"temp_max\": { \"method\": \"psi\", \"threshold\": 0.2 } }");
        }
        else if (featuresProperty?.Value is LocatedObject featureNodes)
        {
            foreach (var feature in featureNodes.Properties)
            {
                if (feature.Value is LocatedScalar { Kind: LocatedKind.String } shorthand)
                {
                    // "temp_max": "psi" is short for { "method": "psi" }.
                    var known = CheckDriftMethod(shorthand.Text!, shorthand.Location);
                    features.Add(new DriftFeatureSpec(feature.Name, known ? shorthand.Text : null, null, feature.NameLocation));
                    continue;
                }
                if (feature.Value is not LocatedObject settings)
                {
                    WrongType(feature, "a method name or an object such as { \"method\": \"psi\", \"threshold\": 0.2 }");
                    continue;
                }
                CheckKeys(settings, DriftFeatureKeys, $"drift.features.{feature.Name}.");
                features.Add(new DriftFeatureSpec(feature.Name, DriftMethod(settings),
                    OptionalNumber(settings, "threshold", 0, double.MaxValue, integer: false), feature.NameLocation));
            }
        }
        return new DriftSpec(OptionalFile(drift, "current", DataFileReference.DriftCurrentRole), method ?? DriftMethods.Auto, property.NameLocation)
        {
            Threshold = threshold,
            Share = share,
            MaxCalibrationError = maxCalibrationError,
            Features = features,
        };
    }

    private string? DriftMethod(LocatedObject node)
    {
        var method = OptionalString(node, "method");
        return method is not null && CheckDriftMethod(method.Value.Text, method.Value.Location) ? method.Value.Text : null;
    }

    private bool CheckDriftMethod(string method, FileLocation location)
    {
        if (Array.IndexOf(DriftMethods.All, method) >= 0)
        {
            return true;
        }
        _diagnostics.Add(D.InvalidValue, location,
            $"Unknown drift method '{method}'; expected one of {string.Join(", ", DriftMethods.All)}.{Suggestions.DidYouMean(method, DriftMethods.All)}");
        return false;
    }

    private void CheckKeys(LocatedObject node, string[] known, string prefix)
    {
        foreach (var property in node.Properties)
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                _diagnostics.Add(D.UnknownKey, property.NameLocation,
                    $"Unknown key '{prefix}{property.Name}' is ignored.{Suggestions.DidYouMean(property.Name, known)}");
            }
        }
    }

    private (string Text, FileLocation Location)? RequiredString(LocatedObject node, string key, string prefix = "")
    {
        var property = node.Find(key);
        if (property is null)
        {
            _diagnostics.Add(D.MissingField, node.Location, $"Required field '{prefix}{key}' is missing.");
            return null;
        }
        return StringValue(property, prefix);
    }

    private (string Text, FileLocation Location)? OptionalString(LocatedObject node, string key)
    {
        var property = node.Find(key);
        return property is null ? null : StringValue(property, "");
    }

    private (string Text, FileLocation Location)? StringValue(LocatedProperty property, string prefix)
    {
        if (property.Value is LocatedScalar { Kind: LocatedKind.String } value)
        {
            if (string.IsNullOrWhiteSpace(value.Text))
            {
                _diagnostics.Add(D.InvalidValue, value.Location, $"'{prefix}{property.Name}' must not be empty.");
                return null;
            }
            return (value.Text!, value.Location);
        }
        WrongType(property, "a string");
        return null;
    }

    private double? OptionalNumber(LocatedObject node, string key, double min, double max, bool integer)
    {
        var property = node.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is not LocatedScalar { Kind: LocatedKind.Number } number || !number.TryGetDouble(out var value))
        {
            WrongType(property, integer ? "a whole number" : "a number");
            return null;
        }
        if (integer && Math.Floor(value) != value)
        {
            WrongType(property, "a whole number");
            return null;
        }
        if (value < min || value > max)
        {
            _diagnostics.Add(D.InvalidValue, number.Location, $"'{property.Name}' is {number.Text}; it must lie between {min:R} and {max:R}.");
            return null;
        }
        return value;
    }

    private void WrongType(LocatedProperty property, string expected) =>
        _diagnostics.Add(D.WrongValueType, property.Value.Location, $"'{property.Name}' must be {expected}; found a {property.Value.KindName}.");
}

using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Text;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

/// <summary>
/// Turns manifest text into a <see cref="ModelManifest"/>, reporting every problem it finds (not just the first)
/// at the line and column it comes from. Returns null when the manifest cannot be used. The manifest's sections and
/// their rules live here (one partial file per large section); reading typed values and reporting their generic
/// problems is <see cref="LocatedReader"/>'s.
/// </summary>
public sealed partial class ManifestParser
{
    internal static readonly string[] RootKeys =
        ["$schema", "name", "version", "description", "task", "label", "positiveClass", "data", "columns", "exclude", "rows",
         "trainer", "onnx", "sweep", "seed", "parityTolerance", "validation", "importance", "gates", "enforce", "drift"];
    internal static readonly string[] TrainerKeys = ["name", "options"];
    internal static readonly string[] ImportanceKeys = ["rows", "permutations"];

    private readonly DiagnosticBag _diagnostics;
    private readonly LocatedReader _read;
    private readonly Snapshots.SnapshotStore? _snapshots;

    private ManifestParser(DiagnosticBag diagnostics, Snapshots.SnapshotStore? snapshots)
    {
        _diagnostics = diagnostics;
        _read = new LocatedReader(diagnostics);
        _snapshots = snapshots;
    }

    /// <param name="snapshots">Where query snapshots are; null: <see cref="Snapshots.SnapshotStore.FromEnvironment"/>, when a manifest has a query.</param>
    public static ModelManifest? ParseFile(string path, DiagnosticBag diagnostics, Snapshots.SnapshotStore? snapshots = null)
    {
        byte[] bytes;
        try
        {
            bytes = IO.RegularFile.ReadAllBytes(path);
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
        _read.CheckKeys(root, RootKeys, "");

        var name = _read.RequiredString(root, "name");
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
        var taskText = importOnly ? _read.OptionalString(root, "task") : _read.RequiredString(root, "task");
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
        var label = importing ? _read.OptionalString(root, "label") : _read.RequiredString(root, "label");
        var (train, test, testFraction) = ParseData(root, requireTrain: !importing);

        var manifest = new ModelManifest
        {
            Path = source.Path,
            Source = source,
            Root = root,
            Name = name?.Text ?? "",
            NameLocation = name?.Location ?? root.Location,
            Version = _read.OptionalString(root, "version")?.Text ?? "1.0.0",
            Task = task,
            HasTask = taskText is not null,
            TaskLocation = taskText?.Location ?? root.Location,
            Label = label?.Text,
            LabelLocation = label?.Location ?? root.Location,
            PositiveClass = _read.OptionalString(root, "positiveClass")?.Text,
            Train = train,
            Test = test,
            TestFraction = testFraction,
            Columns = ParseColumns(root),
            Exclude = ParseExclude(root),
            Rows = ParseRows(root),
            Trainer = trainer,
            Onnx = onnx,
            Sweep = sweep,
            Seed = (int)(_read.OptionalNumber(root, "seed", 0, int.MaxValue, integer: true) ?? 42),
            ParityTolerance = _read.OptionalNumber(root, "parityTolerance", 0, 1, integer: false) ?? 1e-4,
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
            _read.WrongType(property, "an object such as { \"name\": \"LightGbm\" }");
            return null;
        }
        _read.CheckKeys(trainer, TrainerKeys, "trainer.");
        var name = _read.RequiredString(trainer, "name", "trainer.");
        IReadOnlyList<LocatedProperty> options = [];
        if (trainer.Find("options") is { } optionsProperty)
        {
            if (optionsProperty.Value is LocatedObject optionsObject)
            {
                options = optionsObject.Properties;
            }
            else
            {
                _read.WrongType(optionsProperty, "an object of option names and values");
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

    private int ParseFolds(LocatedObject root)
    {
        if (_read.Optional<LocatedObject>(root, "validation", "an object such as { \"folds\": 5 }") is not { } found)
        {
            return 0;
        }
        var validation = found.Value;
        _read.CheckKeys(validation, ["folds"], "validation.");
        return (int)(_read.OptionalNumber(validation, "folds", 2, 20, integer: true) ?? 0);
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
                _read.CheckKeys(settings, ImportanceKeys, "importance.");
                var rows = (int?)_read.OptionalNumber(settings, "rows", 100, 10_000_000, integer: true);
                return new ImportanceSpec(true, rows ?? ImportanceSpec.DefaultRows,
                    (int)(_read.OptionalNumber(settings, "permutations", 1, 50, integer: true) ?? ImportanceSpec.DefaultPermutations))
                {
                    RowsDeclared = rows is not null,
                };
            default:
                _read.WrongType(property, "true, false or an object such as { \"rows\": 20000, \"permutations\": 5 }");
                return ImportanceSpec.Default;
        }
    }

    private bool ParseEnforce(LocatedObject root)
    {
        var enforce = _read.OptionalString(root, "enforce");
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
}

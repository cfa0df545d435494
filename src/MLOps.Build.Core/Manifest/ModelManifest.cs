using MLOps.Build.Diagnostics;
using MLOps.Build.Json;

namespace MLOps.Build.Manifest;

/// <summary>A parsed <c>*.mlmodel.json</c>. Every value that a diagnostic can be about keeps its location.</summary>
public sealed record ModelManifest
{
    public required string Path { get; init; }
    public required FileText Source { get; init; }
    public required LocatedObject Root { get; init; }

    public required string Name { get; init; }
    public required FileLocation NameLocation { get; init; }
    public string Version { get; init; } = "1.0.0";
    public required ModelTask Task { get; init; }

    /// <summary>False for an imported ONNX model whose manifest names no task.</summary>
    public bool HasTask { get; init; } = true;
    public required FileLocation TaskLocation { get; init; }
    public string? Label { get; init; }
    public FileLocation LabelLocation { get; init; }
    public string? PositiveClass { get; init; }

    public DataFileReference? Train { get; init; }
    public DataFileReference? Test { get; init; }
    public double TestFraction { get; init; } = 0.2;

    public IReadOnlyList<ColumnOverride> Columns { get; init; } = [];
    public IReadOnlyList<LocatedName> Exclude { get; init; } = [];

    /// <summary>Row filters; null: every row is used and a missing label is an error.</summary>
    public RowFilterSpec? Rows { get; init; }

    /// <summary>The hand-set trainer; with a <see cref="Sweep"/> too, it is the sweep's first trial.</summary>
    public TrainerSpec? Trainer { get; init; }

    /// <summary>Algorithm and hyperparameter search whose winner is the model.</summary>
    public SweepSpec? Sweep { get; init; }

    /// <summary>The manifest trains a model (as opposed to importing one).</summary>
    public bool Trains => Trainer is not null || Sweep is not null;
    public DataFileReference? Onnx { get; init; }
    public int Seed { get; init; } = 42;
    public double ParityTolerance { get; init; } = 1e-4;

    /// <summary>k of k-fold cross-validation on the training data; 0 when not asked for.</summary>
    public int Folds { get; init; }

    /// <summary>Permutation feature importance: whether, on how many test rows, and how many shuffles per column.</summary>
    public ImportanceSpec Importance { get; init; } = ImportanceSpec.Default;

    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>"warn" turns failed gates into warnings, for exploratory work; default "error".</summary>
    public bool GatesAreWarnings { get; init; }
    public DriftSpec? Drift { get; init; }

    /// <summary>Data files the build pins by hash, in manifest order.</summary>
    public IEnumerable<DataFileReference> DataFiles =>
        new[] { Train, Test, Onnx, Drift?.Current }.Where(f => f is not null)!;

    public string DirectoryPath => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    public FileLocation LocationOf(LocatedNode node) => node.Location;
}

/// <summary>A file the manifest pins: <c>{ "path": "…", "sha256": "…" }</c> (or a bare path string).</summary>
public sealed record DataFileReference(
    string Role,
    string RelativePath,
    FileLocation PathLocation,
    string? Sha256,
    LocatedScalar? Sha256Node,
    LocatedNode Node)
{
    /// <summary>The role of <c>drift.current</c>: data that changes without retraining, so pinning it is optional.</summary>
    public const string DriftCurrentRole = "drift.current";

    /// <summary>The role of an imported model's <c>onnx</c> file, which is one file, never a set.</summary>
    public const string OnnxRole = "onnx";

    /// <summary>Training inputs must be pinned; current data is replaced as production data comes in.</summary>
    public bool PinRequired => Role != DriftCurrentRole;

    /// <summary>
    /// The query whose snapshot this entry is; null for a file. <see cref="RelativePath"/> is then the snapshot's full
    /// path in the snapshot store (a file whose name no hash has while the query is unpinned).
    /// </summary>
    public QuerySpec? Query { get; init; }

    /// <summary>How messages name the entry: its path as written, or "query (engine)".</summary>
    public string DisplayName => Query is { } query ? $"query ({query.Engine.ToName()})" : RelativePath;

    /// <summary>How artifacts name the entry: its path as written, or the snapshot's name in the store (the same on every machine).</summary>
    public string CardPath => Query is null
        ? RelativePath
        : Snapshots.SnapshotStore.FolderName + "/" + System.IO.Path.GetFileName(RelativePath);

    public string FullPath(string manifestDirectory) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(manifestDirectory, RelativePath.Replace('\\', '/')));
}

/// <summary>What <c>columns</c> says about one column; a setting left out is inferred or defaulted.</summary>
/// <param name="Kind">The declared type; null: inferred from the training data.</param>
public sealed record ColumnOverride(string Column, ColumnKind? Kind, FileLocation Location)
{
    /// <summary>How a date column's cells are written (.NET custom format); null: ISO-8601.</summary>
    public string? Format { get; init; }

    public FileLocation FormatLocation { get; init; }

    /// <summary>Featurization of a text column; null: <see cref="TextFeaturizationSpec.Default"/>.</summary>
    public TextFeaturizationSpec? Text { get; init; }

    public FileLocation TextLocation { get; init; }

    /// <summary>What replaces a missing value; null: the type's default (mean for numbers, "no value" for text).</summary>
    public MissingValueSpec? Missing { get; init; }
}

/// <summary>A text column's n-grams: words 1..<see cref="WordNgrams"/>, characters of length <see cref="CharNgrams"/> (0: none).</summary>
/// <param name="Weighting">"tf" (term frequency, L2-normalized). ML.NET (6.0.0, UpstreamWorkaroundTests) exports IDF weights that ONNX Runtime does not reproduce, so "idf" and "tfidf" are refused.</param>
/// <param name="Lowercase">Lower-cased (invariant culture) before featurization, at training and by the generated class.</param>
public sealed record TextFeaturizationSpec(int WordNgrams, int CharNgrams, string Weighting, bool Lowercase)
{
    public static TextFeaturizationSpec Default { get; } = new(2, 3, "tf", true);

    public static readonly IReadOnlyList<string> Weightings = ["tf"];
}

public enum MissingValuePolicy { Mean, Median, MostFrequent, Constant }

/// <param name="Constant">The replacement of <see cref="MissingValuePolicy.Constant"/>: a number or a string as written.</param>
public sealed record MissingValueSpec(MissingValuePolicy Policy, string? Constant, bool ConstantIsNumber, FileLocation Location)
{
    public static readonly IReadOnlyList<string> Names = ["mean", "median", "mostFrequent", "constant"];

    public string PolicyName => Names[(int)Policy];
}

/// <summary>Rows left out of training and testing, each filter counted in the model card.</summary>
/// <param name="DropMissingLabel">Drop rows without a label instead of failing with MLOPS1041.</param>
public sealed record RowFilterSpec(bool DropMissingLabel, IReadOnlyList<RangeFilterSpec> Ranges, FileLocation Location);

/// <summary>Keep rows whose <see cref="Column"/> is within [Min, Max]; a missing value is kept (imputed later).</summary>
public sealed record RangeFilterSpec(string Column, double? Min, double? Max, FileLocation Location);

public sealed record LocatedName(string Name, FileLocation Location);

public sealed record TrainerSpec(string Name, FileLocation NameLocation, IReadOnlyList<LocatedProperty> Options);

/// <param name="ChangeIsRelative">maxIncrease/maxDecrease were given as percentages of the accepted value ("5%").</param>
public sealed record GateSpec(
    string Metric,
    FileLocation Location,
    double? Min,
    double? Max,
    double? MaxIncrease,
    double? MaxDecrease,
    bool ChangeIsRelative = false)
{
    /// <summary><c>"significant": true</c>: a change beyond its bound fails only when the paired bootstrap interval of the difference excludes zero.</summary>
    public bool RequiresSignificance { get; init; }
}

/// <summary>
/// The <c>importance</c> setting. Importance shuffles one column's values at a time (before featurization, so a
/// category with hundreds of one-hot slots is one shuffle) on a seeded sample of at most <paramref name="Rows"/> test
/// rows, <paramref name="Permutations"/> times. Unless the manifest names the rows, a wide table's sample is smaller
/// (<see cref="SampleRows"/>).
/// </summary>
public sealed record ImportanceSpec(bool Enabled, int Rows, int Permutations)
{
    public const int DefaultRows = 10_000;
    public const int DefaultPermutations = 3;

    /// <summary>
    /// Cells (rows × columns) of the default sample. Importance scores columns × permutations shuffles of the sample,
    /// and each costs rows × columns, so the time grows with the square of the width: 784 columns of 10,000 rows took
    /// minutes. The default sample keeps at most this many cells, and never fewer than <see cref="MinimumDefaultRows"/> rows.
    /// </summary>
    public const int DefaultCells = 1_000_000;

    public const int MinimumDefaultRows = 1_000;

    /// <summary>Whether the manifest set <c>rows</c>: then the sample is exactly that, however wide the table.</summary>
    public bool RowsDeclared { get; init; }

    /// <summary>The most rows the sample has for a table of <paramref name="columns"/> feature columns.</summary>
    public int SampleRows(int columns) =>
        RowsDeclared ? Rows : Math.Min(Rows, Math.Max(MinimumDefaultRows, DefaultCells / Math.Max(1, columns)));

    public static ImportanceSpec Default { get; } = new(true, DefaultRows, DefaultPermutations);

    public static ImportanceSpec Off { get; } = new(false, DefaultRows, DefaultPermutations);
}

/// <summary>The <c>drift</c> section: current data to compare with the training data, and how.</summary>
public sealed record DriftSpec(DataFileReference? Current, string Method, FileLocation Location)
{
    /// <summary>Threshold for <see cref="Method"/> when a feature sets none; null: the method's default.</summary>
    public double? Threshold { get; init; }

    /// <summary>Dataset-level drift when at least this share of the features drifts.</summary>
    public double Share { get; init; } = Drift.DriftMethods.DefaultShare;

    /// <summary>The test set's calibration error above which the estimate without labels is refused.</summary>
    public double MaxCalibrationError { get; init; } = MLOps.Shared.ClassifierConfidence.DefaultMaxCalibrationError;

    public IReadOnlyList<DriftFeatureSpec> Features { get; init; } = [];
}

/// <summary>A per-feature override in <c>drift.features</c>; null members fall back to the section's settings.</summary>
public sealed record DriftFeatureSpec(string Name, string? Method, double? Threshold, FileLocation Location);

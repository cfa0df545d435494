using MLOps.Build.Diagnostics;
using MLOps.Build.Json;

namespace MLOps.Build.Manifest;

public enum SweepStrategy
{
    /// <summary>Configurations drawn at random (seeded) from the search space, trainers in turn.</summary>
    Random,
    /// <summary>Every combination of the listed values, three points per range, in a fixed order.</summary>
    Grid,
    /// <summary>Random configurations, evaluated on a growing resource (iterations), the best third kept at each step.</summary>
    Halving,
    /// <summary>Random configurations first, then batches proposed by a tree-structured Parzen estimator from the finished ones.</summary>
    Tpe,
    /// <summary>As <see cref="Tpe"/>, each batch evaluated as <see cref="Halving"/> evaluates its configurations: bad ones stopped early.</summary>
    TpeHalving,
}

public static class SweepStrategies
{
    public static readonly string[] Names = ["random", "grid", "halving", "tpe", "tpe-halving"];

    public static bool TryParse(string text, out SweepStrategy strategy)
    {
        var index = Array.IndexOf(Names, text);
        strategy = index < 0 ? default : (SweepStrategy)index;
        return index >= 0;
    }

    public static string ToName(this SweepStrategy strategy) => Names[(int)strategy];
}

/// <summary>
/// The <c>sweep</c> section: which trainers and hyperparameters to try, how many and how, and the metric that picks
/// the winner, which is then trained, gated and embedded like any model. Option names and types are checked by the
/// trainer, which knows the ML.NET options classes.
/// </summary>
public sealed record SweepSpec(FileLocation Location)
{
    public const int DefaultTrials = 20;
    public const int DefaultFolds = 5;

    /// <summary>Configurations to try (the halving strategy's first round); null with only a time budget.</summary>
    public int? Trials { get; init; }

    /// <summary>Stop starting trials after this long; trials under way finish.</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>The metric that ranks trials (resolved: the task's primary metric when not given).</summary>
    public required string Metric { get; init; }

    public FileLocation MetricLocation { get; init; }

    /// <summary>Trainers to try, in order; every trainer of the task when the manifest names none.</summary>
    public required IReadOnlyList<LocatedName> Trainers { get; init; }

    /// <summary>Search spaces given in the manifest, by trainer; the others use the defaults.</summary>
    public IReadOnlyList<TrainerSpace> Spaces { get; init; } = [];

    public int Folds { get; init; } = DefaultFolds;

    public SweepStrategy Strategy { get; init; } = SweepStrategy.Random;

    /// <summary>Columns each configuration may leave out (a yes-or-no choice per column, searched like an option).</summary>
    public IReadOnlyList<LocatedName> DropColumns { get; init; } = [];

    public int TrialBudget => Trials ?? (Time is null ? DefaultTrials : int.MaxValue);
}

/// <summary>One trainer's search space from the manifest: it replaces that trainer's default space entirely.</summary>
public sealed record TrainerSpace(string Trainer, FileLocation Location, IReadOnlyList<ParameterSpec> Parameters);

/// <summary>One hyperparameter: a range, a list of values, or one fixed value.</summary>
public sealed record ParameterSpec(string Name, FileLocation Location, ParameterDomain Domain);

public abstract record ParameterDomain;

/// <summary>Numbers from <see cref="Min"/> to <see cref="Max"/>, uniform or log-uniform; integer options are rounded.</summary>
public sealed record RangeDomain(double Min, double Max, bool Log) : ParameterDomain;

public sealed record ChoiceDomain(IReadOnlyList<OptionLiteral> Values) : ParameterDomain;

public sealed record FixedDomain(OptionLiteral Value) : ParameterDomain;

/// <summary>A JSON scalar as the manifest wrote it: what an option may be set to.</summary>
public sealed record OptionLiteral(LocatedKind Kind, string? Text)
{
    public static OptionLiteral Number(double value) =>
        new(LocatedKind.Number, value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    public static OptionLiteral From(LocatedScalar scalar) => new(scalar.Kind, scalar.Text);

    /// <summary>The value as manifests and model cards write it: a number, a string, true, false or null.</summary>
    public object? ToValue() => Kind switch
    {
        LocatedKind.Number when double.TryParse(Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        LocatedKind.True => true,
        LocatedKind.False => false,
        LocatedKind.String => Text,
        _ => null,
    };

    public override string ToString() => Kind switch
    {
        LocatedKind.String => "\"" + Text + "\"",
        LocatedKind.Null => "null",
        _ => Text ?? "",
    };
}

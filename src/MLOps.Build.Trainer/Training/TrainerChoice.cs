using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Training;

/// <summary>One option value and where it was written, so that a bad value is reported at its place in the manifest.</summary>
public sealed record OptionSetting(string Name, OptionLiteral Value, FileLocation NameLocation, FileLocation ValueLocation);

/// <summary>
/// The trainer a model is trained with and its option values: the manifest's <c>trainer</c>, or a sweep's trial
/// (whose values point at the sweep's search space).
/// </summary>
public sealed record TrainerChoice(string Name, FileLocation NameLocation, IReadOnlyList<OptionSetting> Options)
{
    public static TrainerChoice FromManifest(TrainerSpec spec) => new(spec.Name, spec.NameLocation,
        spec.Options.Select(o => new OptionSetting(o.Name, Literal(o.Value), o.NameLocation, o.Value.Location)).ToArray());

    /// <summary>The options as the model card records them.</summary>
    public IReadOnlyDictionary<string, object?> OptionValues() =>
        new SortedDictionary<string, object?>(Options.ToDictionary(o => o.Name, o => o.Value.ToValue()), StringComparer.Ordinal);

    /// <summary>"NumberOfLeaves: 23, LearningRate: 0.12" for messages.</summary>
    public string Describe() => string.Join(", ", Options.Select(o => $"{o.Name}: {o.Value}"));

    private static OptionLiteral Literal(LocatedNode node) => node is LocatedScalar scalar ? OptionLiteral.From(scalar) : new OptionLiteral(node.Kind, null);
}

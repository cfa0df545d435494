using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using MLOps.Build.Trainer.Training;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>One hyperparameter ready to sample: its domain, whether the option takes whole numbers, where it was written.</summary>
public sealed record ResolvedParameter(string Name, ParameterDomain Domain, bool Integer, FileLocation Location);

/// <summary>A trainer's search space, checked against its ML.NET options class.</summary>
/// <param name="Resource">The option halving grows (iterations or trees), as a range; null when the trainer has none.</param>
public sealed record ResolvedSpace(TrainerEntry Trainer, FileLocation Location, IReadOnlyList<ResolvedParameter> Parameters, ResolvedParameter? Resource);

/// <summary>
/// The search space of each trainer a sweep tries: the manifest's, or sensible defaults (documented in
/// docs/manifest.md), every option checked against the trainer's ML.NET options class.
/// </summary>
public static class SearchSpaces
{
    private static RangeDomain Log(double min, double max) => new(min, max, Log: true);

    private static RangeDomain Linear(double min, double max) => new(min, max, Log: false);

    /// <summary>Default ranges by trainer name (the same for every task), and the option halving grows.</summary>
    private static readonly Dictionary<string, (string Resource, (string Name, ParameterDomain Domain)[] Parameters)> Defaults = new()
    {
        ["LightGbm"] = ("NumberOfIterations", [("NumberOfLeaves", Log(4, 128)), ("LearningRate", Log(0.01, 0.5)), ("MinimumExampleCountPerLeaf", Log(2, 64)), ("NumberOfIterations", Log(25, 200))]),
        ["FastTree"] = ("NumberOfTrees", [("NumberOfLeaves", Log(4, 128)), ("LearningRate", Log(0.01, 0.5)), ("MinimumExampleCountPerLeaf", Log(2, 64)), ("NumberOfTrees", Log(25, 200))]),
        ["FastTreeTweedie"] = ("NumberOfTrees", [("NumberOfLeaves", Log(4, 128)), ("LearningRate", Log(0.01, 0.5)), ("MinimumExampleCountPerLeaf", Log(2, 64)), ("NumberOfTrees", Log(25, 200))]),
        ["FastForest"] = ("NumberOfTrees", [("NumberOfLeaves", Log(4, 128)), ("MinimumExampleCountPerLeaf", Log(2, 64)), ("FeatureFraction", Linear(0.3, 1)), ("NumberOfTrees", Log(20, 200))]),
        ["SdcaMaximumEntropy"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-6, 1)), ("L2Regularization", Log(1e-6, 1)), ("MaximumNumberOfIterations", Log(5, 100))]),
        ["SdcaNonCalibrated"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-6, 1)), ("L2Regularization", Log(1e-6, 1)), ("MaximumNumberOfIterations", Log(5, 100))]),
        ["SdcaLogisticRegression"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-6, 1)), ("L2Regularization", Log(1e-6, 1)), ("MaximumNumberOfIterations", Log(5, 100))]),
        ["Sdca"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-6, 1)), ("L2Regularization", Log(1e-6, 1)), ("MaximumNumberOfIterations", Log(5, 100))]),
        ["LbfgsMaximumEntropy"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-4, 10)), ("L2Regularization", Log(1e-4, 10)), ("MaximumNumberOfIterations", Log(10, 200))]),
        ["LbfgsLogisticRegression"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-4, 10)), ("L2Regularization", Log(1e-4, 10)), ("MaximumNumberOfIterations", Log(10, 200))]),
        ["LbfgsPoissonRegression"] = ("MaximumNumberOfIterations", [("L1Regularization", Log(1e-4, 10)), ("L2Regularization", Log(1e-4, 10)), ("MaximumNumberOfIterations", Log(10, 200))]),
        ["AveragedPerceptron"] = ("NumberOfIterations", [("LearningRate", Log(0.01, 1)), ("L2Regularization", Log(1e-6, 0.1)), ("NumberOfIterations", Log(1, 50))]),
        ["LinearSvm"] = ("NumberOfIterations", [("Lambda", Log(1e-5, 0.1)), ("NumberOfIterations", Log(1, 50))]),
        ["OnlineGradientDescent"] = ("NumberOfIterations", [("LearningRate", Log(0.01, 1)), ("L2Regularization", Log(1e-6, 0.1)), ("NumberOfIterations", Log(1, 50))]),
    };

    /// <summary>Every trainer the sweep tries, in the manifest's order; null after reporting a problem.</summary>
    public static IReadOnlyList<ResolvedSpace>? Resolve(ModelManifest manifest, DiagnosticBag diagnostics)
    {
        var sweep = manifest.Sweep!;
        var errorsBefore = diagnostics.Items.Count(d => d.Severity == DiagnosticLevel.Error);
        var spaces = new List<ResolvedSpace>();
        foreach (var trainer in sweep.Trainers)
        {
            if (TrainerRegistry.Find(manifest.Task, trainer.Name) is not { } entry)
            {
                continue;   // reported by the manifest parser
            }
            var given = sweep.Spaces.FirstOrDefault(s => s.Trainer == trainer.Name);
            var defaults = Defaults[trainer.Name];
            var parameters = given is null
                ? defaults.Parameters.Select(p => new ResolvedParameter(p.Name, p.Domain, IsInteger(entry, p.Name), sweep.Location)).ToArray()
                : given.Parameters.Select(p => Check(entry, p, diagnostics)).Where(p => p is not null).Select(p => p!).ToArray();
            var location = given?.Location ?? trainer.Location;
            var resource = Resource(entry, defaults.Resource, parameters, sweep, location, diagnostics);
            spaces.Add(new ResolvedSpace(entry, location, parameters, resource));
        }
        return diagnostics.Items.Count(d => d.Severity == DiagnosticLevel.Error) > errorsBefore || spaces.Count == 0 ? null : spaces;
    }

    private static bool IsInteger(TrainerEntry entry, string option) =>
        OptionBinder.OptionType(entry, option) is { } type && OptionBinder.IsInteger(type);

    private static ResolvedParameter? Check(TrainerEntry entry, ParameterSpec parameter, DiagnosticBag diagnostics)
    {
        if (OptionBinder.OptionType(entry, parameter.Name) is not { } type)
        {
            var names = OptionBinder.OptionNames(entry).ToArray();
            diagnostics.Add(D.UnknownSweepOption, parameter.Location,
                $"'{entry.Name}' has no option '{parameter.Name}'.{Suggestions.DidYouMean(parameter.Name, names)} Options: {string.Join(", ", names.OrderBy(n => n, StringComparer.Ordinal))}.");
            return null;
        }
        var numeric = OptionBinder.IsInteger(type) || type == typeof(float) || type == typeof(double) || type == typeof(decimal);
        if (parameter.Domain is RangeDomain && !numeric)
        {
            diagnostics.Add(D.InvalidSweepSpace, parameter.Location,
                $"'{parameter.Name}' of '{entry.Name}' is a {type.Name} option: list its values instead of a range.");
            return null;
        }
        var values = parameter.Domain switch
        {
            ChoiceDomain choice => choice.Values,
            FixedDomain fixedValue => [fixedValue.Value],
            _ => [],
        };
        foreach (var value in values)
        {
            if (OptionBinder.Problem(entry, parameter.Name, value) is { } problem)
            {
                diagnostics.Add(D.InvalidSweepSpace, parameter.Location, $"Option '{parameter.Name}' of '{entry.Name}' {problem}.");
                return null;
            }
        }
        return new ResolvedParameter(parameter.Name, parameter.Domain, OptionBinder.IsInteger(type), parameter.Location);
    }

    /// <summary>What halving grows: the trainer's iteration option, from the space's range or list, else the default range.</summary>
    private static ResolvedParameter? Resource(TrainerEntry entry, string option, IReadOnlyList<ResolvedParameter> parameters, SweepSpec sweep,
        FileLocation location, DiagnosticBag diagnostics)
    {
        var given = parameters.FirstOrDefault(p => p.Name == option);
        var domain = given?.Domain switch
        {
            null => Defaults[entry.Name].Parameters.First(p => p.Name == option).Domain,
            RangeDomain range => range,
            ChoiceDomain choice when choice.Values.All(v => v.ToValue() is double) =>
                new RangeDomain(choice.Values.Min(v => (double)v.ToValue()!), choice.Values.Max(v => (double)v.ToValue()!), Log: true),
            _ => null,
        };
        if (domain is null && sweep.Strategy == SweepStrategy.Halving)
        {
            diagnostics.Add(D.InvalidSweepSpace, given?.Location ?? location,
                $"The halving strategy grows '{option}' of '{entry.Name}' from round to round: give it a range or a list of numbers, not one value.");
            return null;
        }
        return domain is null ? null : new ResolvedParameter(option, domain, Integer: true, given?.Location ?? location);
    }
}

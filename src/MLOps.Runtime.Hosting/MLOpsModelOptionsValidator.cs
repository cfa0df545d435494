using Microsoft.Extensions.Options;

namespace MLOps.Runtime.Hosting;

/// <summary>
/// Checks a model's options when the host starts (<c>AddMLOpsModel</c> asks for it with <c>ValidateOnStart</c>), so
/// that a value configuration cannot use fails the start, naming its section and every problem, instead of the first
/// request that needs the model. The runtime owns the rules of what it runs (<see cref="ModelSessionOptions.Problems"/>);
/// the health check's own settings are checked here.
/// </summary>
internal sealed class MLOpsModelOptionsValidator : IValidateOptions<MLOpsModelOptions>
{
    public ValidateOptionsResult Validate(string? name, MLOpsModelOptions options)
    {
        var problems = new List<string>();
        try
        {
            problems.AddRange(options.ToSessionOptions().Problems());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(e.Message);
        }
        if (!(options.QualityMargin >= 0))
        {
            problems.Add(FormattableString.Invariant($"QualityMargin must be 0 or more (it is {options.QualityMargin})."));
        }
        if (options.DriftWarning is { } warning && !(warning > 0))
        {
            problems.Add(FormattableString.Invariant($"DriftWarning must be above 0 (it is {warning})."));
        }
        if (options.MinimumRows < 0 || options.MinimumOutcomes < 0)
        {
            problems.Add(FormattableString.Invariant($"MinimumRows and MinimumOutcomes must be 0 or more (they are {options.MinimumRows} and {options.MinimumOutcomes})."));
        }
        foreach (var (metric, bounds) in options.Gates.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (bounds is null || double.IsNaN(bounds.Min ?? 0) || double.IsNaN(bounds.Max ?? 0) || bounds.Min > bounds.Max)
            {
                problems.Add(FormattableString.Invariant($"Gates:{metric} must have a Min at most its Max (it has Min {bounds?.Min}, Max {bounds?.Max})."));
            }
        }
        var section = MLOpsModelOptions.SectionOf(name ?? "");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"{section}: {p}"));
    }
}

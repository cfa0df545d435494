using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Columns the model reads but does not measurably use: their permutation importance is within
/// <see cref="StandardErrors"/> standard errors of zero. Each is a data dependency that costs collection, validation
/// and drift checks for nothing ("underutilized data dependencies", Sculley et al., Hidden Technical Debt in Machine
/// Learning Systems), so the build names it at the column's place in the manifest, with the figure.
/// </summary>
public static class UnderutilizedColumns
{
    /// <summary>How many standard errors from zero a column's drop must be to count as used (about a 95% interval).</summary>
    public const double StandardErrors = 2;

    /// <summary>
    /// Columns named one diagnostic each; the rest share one line. A wide table of pixels or sensor channels can have
    /// hundreds of unused columns, and as many build lines would bury every other message (784 pixels gave 568).
    /// </summary>
    public const int MaxNamedSeparately = TextLimits.ListedNames;

    public static IEnumerable<FeatureImportanceCard> Find(IEnumerable<FeatureImportanceCard> importance) =>
        importance.Where(c => Math.Abs(c.Drop) <= StandardErrors * c.StandardError);

    public static void Report(ModelManifest manifest, IReadOnlyList<FeatureImportanceCard>? importance, ImportanceSampleCard? sample, DiagnosticBag diagnostics)
    {
        if (importance is null || sample is null)
        {
            return;
        }
        var unused = Find(importance).ToArray();
        foreach (var column in unused.Take(MaxNamedSeparately))
        {
            // At the column's own settings when the manifest has them, else at the training data it comes from.
            var location = manifest.Columns.FirstOrDefault(c => c.Column == column.Column)?.Location ?? manifest.Train?.PathLocation ?? FileLocation.File(manifest.Path);
            diagnostics.Add(D.UnderutilizedColumn, location,
                $"{manifest.Name}: column '{TextLimits.Quoted(column.Column)}' makes no measurable difference: shuffling it changes {column.Metric} by {Number(-column.Drop)} ± {Number(column.StandardError)} " +
                $"(standard error over {sample.Permutations} shuffles of {sample.Rows:N0} test rows), within {StandardErrors.ToString(CultureInfo.InvariantCulture)} standard errors of nothing. " +
                $"It is an underutilized data dependency: excluding it (\"exclude\") should keep the model's quality and drops a column to collect, validate and check for drift; or list it in \"sweep.dropColumns\" to let cross-validation decide.");
        }
        if (unused.Length > MaxNamedSeparately)
        {
            var rest = unused.Skip(MaxNamedSeparately).Select(c => c.Column).ToArray();
            diagnostics.Add(D.UnderutilizedColumn, manifest.Train?.PathLocation ?? FileLocation.File(manifest.Path),
                $"{manifest.Name}: {rest.Length:N0} more columns make no measurable difference either (within {StandardErrors.ToString(CultureInfo.InvariantCulture)} standard errors of nothing): " +
                $"{TextLimits.List(rest, "'")}. " +
                "The model card's featureImportance gives each one's drop and standard error.");
        }
    }

    /// <summary>Four decimals; a value that rounds to zero is "0", never "-0".</summary>
    private static string Number(double value)
    {
        var rounded = Math.Round(value, 4);
        return (rounded == 0 ? 0 : rounded).ToString("0.####", CultureInfo.InvariantCulture);
    }
}

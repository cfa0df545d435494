using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
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

    public static IEnumerable<FeatureImportanceCard> Find(IEnumerable<FeatureImportanceCard> importance) =>
        importance.Where(c => Math.Abs(c.Drop) <= StandardErrors * c.StandardError);

    public static void Report(ModelManifest manifest, IReadOnlyList<FeatureImportanceCard>? importance, ImportanceSampleCard? sample, DiagnosticBag diagnostics)
    {
        if (importance is null || sample is null)
        {
            return;
        }
        foreach (var column in Find(importance))
        {
            // At the column's own settings when the manifest has them, else at the training data it comes from.
            var location = manifest.Columns.FirstOrDefault(c => c.Column == column.Column)?.Location ?? manifest.Train?.PathLocation ?? FileLocation.File(manifest.Path);
            diagnostics.Add(D.UnderutilizedColumn, location,
                $"{manifest.Name}: column '{column.Column}' makes no measurable difference: shuffling it changes {column.Metric} by {Number(-column.Drop)} ± {Number(column.StandardError)} " +
                $"(standard error over {sample.Permutations} shuffles of {sample.Rows:N0} test rows), within {StandardErrors.ToString(CultureInfo.InvariantCulture)} standard errors of nothing. " +
                $"It is an underutilized data dependency: excluding it (\"exclude\") should keep the model's quality and drops a column to collect, validate and check for drift; or list it in \"sweep.dropColumns\" to let cross-validation decide.");
        }
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using MLOps.Build.Reporting;

namespace MLOps.Build.Tasks.Validate;

/// <summary>
/// The Markdown summary of one model's validation: metrics against the accepted model, and every gate.
/// Written to the artifacts folder, and appended to $GITHUB_STEP_SUMMARY when a GitHub Actions job sets it.
/// </summary>
public static class ValidationReport
{
    public static string Render(string modelName, string modelSha256, bool passed, IReadOnlyDictionary<string, double> metrics,
        IReadOnlyDictionary<string, double>? accepted, IReadOnlyList<GateResult> gates, Artifacts.SweepReport? sweep = null, Artifacts.ModelComparison? comparison = null)
    {
        var text = new StringBuilder();
        text.Append("### ").Append(modelName).Append(": ").Append(passed ? "passed" : "FAILED").Append("\n\n");
        text.Append("Model `").Append(modelSha256.Length > 12 ? modelSha256.Substring(0, 12) : modelSha256).Append('`')
            .Append(accepted is null ? ", no accepted model yet." : ".").Append("\n\n");
        // With a comparison, each change also has its interval on the same test rows (the paired bootstrap).
        var sameRows = comparison is { Problem: null } ? comparison : null;
        text.Append("| metric | value | accepted | change |").Append(sameRows is null ? "" : $" on the same {sameRows.Rows} test rows |")
            .Append("\n| --- | ---: | ---: | ---: |").Append(sameRows is null ? "" : " --- |").Append('\n');
        foreach (var metric in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var baseline = accepted is not null && accepted.TryGetValue(metric.Key, out var b) ? b : (double?)null;
            text.Append("| ").Append(metric.Key).Append(" | ").Append(Number(metric.Value)).Append(" | ")
                .Append(baseline is { } v ? Number(v) : "–").Append(" | ")
                .Append(baseline is { } w ? Signed(metric.Value - w) : "–").Append(" |");
            if (sameRows is not null)
            {
                text.Append(' ').Append(sameRows.Metrics.TryGetValue(metric.Key, out var same)
                    ? same.Describe(sameRows) + (same.IsSignificant ? ", significant" : ", within noise")
                    : "–").Append(" |");
            }
            text.Append('\n');
        }
        if (comparison?.Problem is { } problem)
        {
            // The reason may name a column from the data.
            text.Append("\nNo intervals: ").Append(MarkdownText.Inline(problem)).Append(".\n");
        }
        if (gates.Count > 0)
        {
            text.Append("\n| gate | bounds | value | result |\n| --- | --- | ---: | --- |\n");
            foreach (var gate in gates)
            {
                text.Append("| ").Append(gate.Metric).Append(" | ").Append(gate.Bounds).Append(" | ")
                    .Append(gate.Value is { } value ? Number(value) : "–").Append(" | ").Append(gate.Outcome).Append(" |\n");
            }
        }
        if (sweep is not null)
        {
            AppendSweep(text, sweep);
        }
        return text.Append('\n').ToString();
    }

    /// <summary>The winner's options and the ten best trials.</summary>
    private static void AppendSweep(StringBuilder text, Artifacts.SweepReport sweep)
    {
        var counts = sweep.Counts;
        text.Append("\n#### Sweep: ").Append(counts.Configurations).Append(" trials, ").Append(sweep.Strategy).Append(", ")
            .Append(sweep.Folds).Append("-fold ").Append(sweep.Metric).Append(" (").Append(counts.Cached).Append(" cached, ")
            .Append(counts.Trained).Append(" trained, ").Append(counts.Pruned).Append(" pruned, ").Append(counts.Failed).Append(" failed)\n\n");
        if (sweep.Best is { } best)
        {
            text.Append("Winner: trial ").Append(best.Index).Append(", ").Append(best.Trainer).Append(' ')
                .Append(Options(best.Options)).Append("\n\n");
        }
        // Rounds only mean something where a trial went past the first (halving, tpe-halving).
        var rounds = sweep.Trials.Any(t => t.Rung > 0);
        text.Append("| # | trial | trainer | options | ").Append(sweep.Metric).Append(" | ± |").Append(rounds ? " round |" : "").Append(" status |\n")
            .Append("| ---: | ---: | --- | --- | ---: | ---: |").Append(rounds ? " ---: |" : "").Append(" --- |\n");
        var rank = 0;
        foreach (var trial in sweep.Trials.Where(t => t.Status != Artifacts.TrialRecord.Failed).Take(10))
        {
            text.Append("| ").Append(++rank).Append(" | ").Append(trial.Index).Append(" | ").Append(trial.Trainer).Append(" | ")
                .Append(Options(trial.Options)).Append(" | ")
                .Append(Number(trial.Mean[sweep.Metric])).Append(" | ").Append(Number(trial.StandardDeviation[sweep.Metric])).Append(" |");
            if (rounds)
            {
                text.Append(' ').Append(trial.Rung + 1).Append(" |");
            }
            text.Append(' ').Append(trial.Status).Append(" |\n");
        }
    }

    /// <summary>A trial's options, each name and value as text (a name may carry a column's from the data, <c>drop:&lt;column&gt;</c>).</summary>
    private static string Options(IReadOnlyDictionary<string, object?> options) =>
        string.Join(", ", options.Select(o => MarkdownText.Inline(o.Key) + " " + MarkdownText.Inline(Convert.ToString(o.Value, CultureInfo.InvariantCulture) ?? "")));

    private static string Number(double value) => GateEvaluator.Format(value);

    private static string Signed(double value) =>
        (value > 0 ? "+" : "") + value.ToString("0.####", CultureInfo.InvariantCulture);
}

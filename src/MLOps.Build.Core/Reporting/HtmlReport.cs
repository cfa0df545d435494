using System.Globalization;
using System.Text;
using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using static MLOps.Build.Reporting.SvgCharts;

namespace MLOps.Build.Reporting;

/// <summary>What the report shows of one model: its card, and the accepted lock, drift report and sweep when there are any.</summary>
public sealed record ReportModel(ModelCard Card, ModelLock? Accepted, DriftReport? Drift, SweepReport? Sweep)
{
    /// <summary>The model's training runs, oldest first (the run history); empty when there is none.</summary>
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];

    /// <summary>Each quality gate of the manifest and how the model fared; empty when it has none.</summary>
    public IReadOnlyList<GateRow> Gates { get; init; } = [];
}

/// <param name="Bounds">The gate as written ("≥ 0.9", "increase ≤ 0.05").</param>
/// <param name="Passed">Whether the model meets it; null when it could not be judged (no accepted model for a change gate).</param>
public sealed record GateRow(string Metric, string Bounds, double? Value, string Outcome, bool? Passed);

/// <summary>
/// One self-contained HTML page for a project's models: metrics against the accepted model, data, confusion matrix,
/// feature importance, training distributions, drift and the sweep's leaderboard. No script, no network, no time
/// stamp: the same artifacts give the same bytes.
/// </summary>
public static class HtmlReport
{
    private const int LeaderboardRows = 10;

    public static string Write(string project, IReadOnlyList<ReportModel> unordered)
    {
        var models = unordered.OrderBy(m => m.Card.Name, StringComparer.Ordinal).ToArray();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Escape(project)).Append(" · MLOps.Build report</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Escape(project)).Append(" <small>MLOps.Build report</small></h1>\n");
        html.Append("<nav>").Append(string.Join(" · ", models.Select(m => $"<a href=\"#{Anchor(m.Card.Name)}\">{Escape(m.Card.Name)}</a>"))).Append("</nav>\n");
        foreach (var model in models)
        {
            Model(html, model);
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static void Model(StringBuilder html, ReportModel model)
    {
        var card = model.Card;
        html.Append(F($"<section id=\"{Anchor(card.Name)}\">\n<h2>{Escape(card.Name)} <small>{Escape(card.Task)} · {Escape(card.Trainer?.Name ?? "imported ONNX model")} · {Escape(card.Fingerprint.Length >= 12 ? card.Fingerprint.Substring(0, 12) : card.Fingerprint)}</small></h2>\n"));
        Metrics(html, model);
        Gates(html, model.Gates);
        Data(html, card);
        if (card.Evaluation is { } evaluation)
        {
            html.Append("<h3>Confusion matrix (test set)</h3>\n").Append(Heatmap(evaluation.Classes, evaluation.ConfusionMatrix)).Append('\n');
        }
        Curves(html, card.Curves);
        if (card.FeatureImportance is { Count: > 0 } importance)
        {
            html.Append(F($"<h3>Feature importance <small>drop of {Escape(importance[0].Metric)} when a column is shuffled</small></h3>\n"));
            Folded(html, importance.Select(i => (i.Column, i.Drop)).ToArray(), "columns", (h, bars) => h.Append(Bars(bars)).Append('\n'));
        }
        Distributions(html, card);
        Drift(html, model.Drift);
        Sweep(html, model.Sweep);
        Runs(html, model);
        html.Append("</section>\n");
    }

    private static void Metrics(StringBuilder html, ReportModel model)
    {
        html.Append("<h3>Metrics (test set)</h3>\n<table class=\"metrics\"><tr><th>metric</th><th>this build</th><th>accepted</th><th>change</th></tr>\n");
        var task = ModelTasks.TryParse(model.Card.Task, out var parsed) ? parsed : (ModelTask?)null;
        foreach (var metric in model.Card.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var (name, value) = (metric.Key, metric.Value);
            var accepted = model.Accepted?.Metrics.TryGetValue(name, out var a) == true ? a : (double?)null;
            var change = accepted is { } before ? value - before : (double?)null;
            var better = change is { } delta && task is { } t && delta != 0 ? (MetricCatalog.HigherIsBetter(t, name) == delta > 0 ? "better" : "worse") : "same";
            html.Append(F($"<tr><td>{Escape(name)}</td><td>{Number(value)}</td><td>{(accepted is null ? "—" : Number(accepted.Value))}</td><td class=\"{better}\">{(change is null ? "—" : change == 0 ? "0" : (change > 0 ? "+" : "") + Number(change.Value))}</td></tr>\n"));
        }
        html.Append("</table>\n");
    }

    private static void Gates(StringBuilder html, IReadOnlyList<GateRow> gates)
    {
        if (gates.Count == 0)
        {
            return;
        }
        html.Append("<h3>Quality gates</h3>\n<table class=\"gates\"><tr><th>metric</th><th>gate</th><th>value</th><th>outcome</th></tr>\n");
        foreach (var gate in gates)
        {
            var verdict = gate.Passed switch { true => "better", false => "worse", _ => "same" };
            html.Append(F($"<tr><td>{Escape(gate.Metric)}</td><td>{Escape(gate.Bounds)}</td><td>{(gate.Value is { } v ? Number(v) : "—")}</td><td class=\"{verdict}\">{Escape(gate.Outcome)}</td></tr>\n"));
        }
        html.Append("</table>\n");
    }

    /// <summary>A file's path, or a query's engine, SQL hash and snapshot (never the SQL's connection, which the card does not hold).</summary>
    private static string Source(DataFileCard file) => file.Query is { } query
        ? F($"a {Escape(query.Engine)} query (SQL sha256 <code>{Escape(query.SqlSha256.Substring(0, Math.Min(12, query.SqlSha256.Length)))}</code>, snapshot <code>{Escape(file.Sha256.Substring(0, Math.Min(12, file.Sha256.Length)))}</code>{(query.Connection is null ? "" : F($", connection from <code>{Escape(query.Connection)}</code>"))})")
        : F($"<code>{Escape(file.Path)}</code>");

    private static void Data(StringBuilder html, ModelCard card)
    {
        if (card.Data is { } data)
        {
            html.Append(F($"<p class=\"data\">Trained on {data.Train.Rows:N0} rows of {Source(data.Train)}"))
                .Append(data.Test is { } test ? F($", tested on {test.Rows:N0} rows of {Source(test)}") : F($", tested on a seeded {data.TestFraction:P0} hold-out"))
                .Append(".</p>\n");
        }
        if (card.Scoring is { } scoring)
        {
            html.Append(scoring.Reason is { } reason
                ? F($"<p class=\"data\">Scored by ONNX Runtime: {Escape(reason)}.</p>\n")
                : F($"<p class=\"data\">Scored by compiled kernels, checked against ONNX Runtime on {scoring.Rows:N0} rows (largest difference {scoring.MaxAbsoluteDifference?.ToString("G2", CultureInfo.InvariantCulture)}).</p>\n"));
            if (scoring.TextAgainstMLNet is { } text)
            {
                html.Append(F($"<p class=\"data\">Text featurized with ML.NET's semantics and checked against ML.NET itself on {text.Rows:N0} rows, {text.SyntheticRows:N0} of them synthetic texts (largest difference {text.MaxAbsoluteDifference.ToString("G2", CultureInfo.InvariantCulture)}).</p>\n"));
            }
            if (scoring.OnnxRuntimeDiffers is { } differs)
            {
                html.Append(F($"<p class=\"data warning\">On {differs.Rows:N0} rows whose text holds a surrogate pair or U+FFFD, <code>model.onnx</code> scored by ONNX Runtime differs from ML.NET by up to {differs.MaxAbsoluteDifference.ToString("G2", CultureInfo.InvariantCulture)} (its tokenizer splits UTF-8 characters where ML.NET counts UTF-16 code units). The app scores compiled, which follows ML.NET.</p>\n"));
            }
        }
        Folded(html, card.Inputs, "inputs", (h, inputs) =>
        {
            h.Append("<table class=\"inputs\"><tr><th>column</th><th>property</th><th>kind</th><th>missing</th></tr>\n");
            foreach (var input in inputs)
            {
                h.Append(F($"<tr><td>{Escape(input.Column)}</td><td><code>{Escape(input.Property)}</code></td><td>{Escape(input.Kind)}</td><td>{(input.Statistics is { } s ? s.MissingRate.ToString("P1", CultureInfo.InvariantCulture) : "—")}</td></tr>\n"));
            }
            h.Append("</table>\n");
        });
    }

    /// <summary>
    /// How many items of a list (a table's columns, their charts) the page shows open. A wide table has hundreds: the
    /// rest are in the page too, inside a closed &lt;details&gt; (no script), so that the sections after them stay in reach.
    /// </summary>
    internal const int OpenItems = 30;

    /// <summary>Writes the first <see cref="OpenItems"/> items, and the rest inside a closed &lt;details&gt; saying how many.</summary>
    private static void Folded<T>(StringBuilder html, IReadOnlyList<T> items, string what, Action<StringBuilder, IReadOnlyList<T>> write)
    {
        if (items.Count <= OpenItems)
        {
            write(html, items);
            return;
        }
        write(html, items.Take(OpenItems).ToArray());
        html.Append(F($"<details><summary>{items.Count - OpenItems:N0} more {what}</summary>\n"));
        write(html, items.Skip(OpenItems).ToArray());
        html.Append("</details>\n");
    }

    private static void Curves(StringBuilder html, CurvesCard? curves)
    {
        if (curves is null)
        {
            return;
        }
        var charts = new List<(string Title, string Svg)>();
        if (curves.Roc is { Count: > 1 } roc)
        {
            charts.Add(("ROC curve", Curve(roc, "false positive rate", "true positive rate", diagonal: true)));
        }
        if (curves.PrecisionRecall is { Count: > 0 } pr)
        {
            charts.Add(("Precision–recall curve", Curve(pr, "recall", "precision", diagonal: false)));
        }
        if (curves.Calibration is { Count: > 0 } calibration)
        {
            charts.Add(("Calibration", Curve(calibration, "predicted probability", "observed rate", diagonal: true)));
        }
        if (curves.Predictions is { Count: > 0 } predictions)
        {
            charts.Add(("Predicted against actual", Scatter(predictions.Select(p => (p[0], p[1])).ToArray(), "actual", "predicted", identity: true)));
            charts.Add(("Residuals", Scatter(predictions.Select(p => (p[1], p[0] - p[1])).ToArray(), "predicted", "actual − predicted", identity: false)));
        }
        if (charts.Count == 0)
        {
            return;
        }
        html.Append("<h3>Test set</h3>\n<div class=\"grid\">\n");
        foreach (var (title, svg) in charts)
        {
            html.Append("<figure>").Append(svg).Append(F($"<figcaption>{Escape(title)}</figcaption></figure>\n"));
        }
        html.Append("</div>\n");
    }

    private static void Distributions(StringBuilder html, ModelCard card)
    {
        var numeric = card.Inputs.Where(i => i.Statistics?.Histogram is { Counts.Count: > 0 }).ToArray();
        if (numeric.Length == 0)
        {
            return;
        }
        html.Append("<h3>Training distributions</h3>\n");
        Folded(html, numeric, "columns", (h, inputs) =>
        {
            h.Append("<div class=\"grid\">\n");
            foreach (var input in inputs)
            {
                var histogram = input.Statistics!.Histogram!;
                h.Append("<figure>").Append(Histogram(histogram.Edges, histogram.Counts)).Append(F($"<figcaption>{Escape(input.Column)}</figcaption></figure>\n"));
            }
            h.Append("</div>\n");
        });
    }

    private static void Drift(StringBuilder html, DriftReport? drift)
    {
        if (drift is null || drift.Features.Count == 0)
        {
            return;
        }
        html.Append(F($"<h3>Drift <small>{drift.Current.Rows:N0} rows of <code>{Escape(drift.Current.Path)}</code> against {drift.Reference.Rows:N0} training rows: {drift.FeaturesDrifted} of {drift.FeaturesChecked} features drift{(drift.DatasetDrift ? ", dataset drift" : "")}</small></h3>\n"));
        // Drifting features first, so that a wide table's are among the open ones.
        var features = drift.Features.OrderBy(f => f.Drifted ? 0 : 1).ToArray();
        Folded(html, features, "features", (h, rows) =>
        {
            h.Append("<table class=\"drift\"><tr><th>feature</th><th>method</th><th>value</th><th>threshold</th><th>PSI</th><th>verdict</th></tr>\n");
            foreach (var feature in rows)
            {
                h.Append(F($"<tr><td>{Escape(feature.Feature)}</td><td>{Escape(feature.Method)} ({Escape(feature.Statistic)})</td><td>{(feature.Value is { } v ? Number(v) : "—")}</td><td>{Number(feature.Threshold)}</td><td>{(feature.Statistics.Psi is { } psi ? Number(psi) : "—")}</td><td class=\"{(feature.Drifted ? "worse" : "same")}\">{(feature.Drifted ? "drifts" : "stable")}</td></tr>\n"));
            }
            h.Append("</table>\n");
        });
        if (drift.Estimate is { } estimate)
        {
            html.Append(estimate.Value is { } value
                ? F($"<p class=\"estimate\">Estimated {Escape(estimate.Metric)} without labels: <strong>{Number(value)} ± {Number(estimate.Margin ?? double.NaN)}</strong> on {estimate.Rows:N0} current rows (test {(estimate.TestValue is { } test ? Number(test) : "—")}; calibration error {Number(estimate.CalibrationError ?? double.NaN)}).</p>\n")
                : F($"<p class=\"estimate\">{Escape(estimate.Metric)} not estimated: {Escape(estimate.Refused ?? "")}.</p>\n"));
        }
        Production(html, drift.Production);
        Folded(html, features.Where(f => f.Statistics.Psi is not null).Select(f => (f.Feature, f.Statistics.Psi!.Value)).ToArray(), "features",
            (h, bars) => h.Append(Bars(bars)).Append('\n'));
        var binned = features.Where(f => f.Bins is { Reference.Count: > 0 }).ToArray();
        if (binned.Length == 0)
        {
            return;
        }
        html.Append("<p class=\"legend\"><span class=\"swatch reference-swatch\"></span> training <span class=\"swatch\"></span> current, share of rows per bin</p>\n");
        Folded(html, binned, "features", (h, charts) =>
        {
            h.Append("<div class=\"grid\">\n");
            foreach (var feature in charts)
            {
                var bins = feature.Bins!;
                var labels = bins.Categories ?? Enumerable.Range(0, bins.Reference.Count)
                    .Select(b => F($"[{bins.Edges![b]:G4}, {bins.Edges[b + 1]:G4})")).ToArray();
                h.Append("<figure>").Append(Overlay(labels, bins.Reference, bins.Current))
                    .Append(F($"<figcaption>{Escape(feature.Feature)}{(feature.Drifted ? " — drifts" : "")}</figcaption></figure>\n"));
            }
            h.Append("</div>\n");
        });
    }

    /// <summary>The most features the production table and chart give a PSI column and line.</summary>
    internal const int ProductionFeatures = 8;

    /// <summary>Captured current data over time: each window's rows, estimate, realized accuracy and PSI per feature.</summary>
    private static void Production(StringBuilder html, ProductionCard? production)
    {
        if (production is not { Windows.Count: > 0 } p)
        {
            return;
        }
        var all = p.Windows.SelectMany(w => w.Psi.Keys).Distinct(StringComparer.Ordinal).ToArray();
        // A PSI column and line per feature: a wide table keeps the features whose PSI rose highest.
        var features = all.Length <= ProductionFeatures ? all
            : all.OrderByDescending(f => p.Windows.Max(w => w.Psi.TryGetValue(f, out var psi) ? psi : 0)).ThenBy(f => f, StringComparer.Ordinal).Take(ProductionFeatures).ToArray();
        var shown = features.Length < all.Length ? F($"; PSI of the {features.Length} of {all.Length:N0} features that rose highest") : "";
        html.Append(F($"<h3>Production <small>{p.Windows.Count} windows of captured rows, {p.Outcomes:N0} with an outcome{shown}</small></h3>\n"));
        html.Append("<table class=\"production\"><tr><th>window (UTC)</th><th>rows</th><th>estimated</th><th>realized</th>");
        foreach (var feature in features)
        {
            html.Append(F($"<th>PSI {Escape(feature)}</th>"));
        }
        html.Append("</tr>\n");
        foreach (var window in p.Windows)
        {
            html.Append(F($"<tr><td>{Escape(window.Start)} – {Escape(window.End)}</td><td>{window.Rows:N0}</td><td>{(window.Estimated is { } e ? Number(e) : "—")}</td><td>{(window.Realized is { } r ? F($"{Number(r)} ({window.Outcomes:N0})") : "—")}</td>"));
            foreach (var feature in features)
            {
                html.Append(window.Psi.TryGetValue(feature, out var psi) ? F($"<td class=\"{(psi >= 0.2 ? "worse" : "same")}\">{Number(psi)}</td>") : "<td>—</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n<div class=\"grid\">\n");
        var labels = p.Windows.Select(w => w.Start).ToArray();
        if (p.Windows.Any(w => w.Estimated is not null || w.Realized is not null))
        {
            html.Append("<figure>").Append(SvgCharts.Series(labels, [("estimated", p.Windows.Select(w => w.Estimated).ToArray()), ("realized", p.Windows.Select(w => w.Realized).ToArray())], "accuracy"))
                .Append(F($"<figcaption>Accuracy: {SvgCharts.SeriesLegend(["estimated", "realized from outcomes"])}</figcaption></figure>\n"));
        }
        html.Append("<figure>").Append(SvgCharts.Series(labels, features.Select(f => (f, (IReadOnlyList<double?>)p.Windows.Select(w => w.Psi.TryGetValue(f, out var v) ? v : (double?)null).ToArray())).ToArray(), "PSI"))
            .Append(F($"<figcaption>PSI against the training data: {SvgCharts.SeriesLegend(features)}</figcaption></figure>\n</div>\n"));
    }

    private static void Runs(StringBuilder html, ReportModel model)
    {
        var metric = model.Card.Metrics.Keys.FirstOrDefault(k => model.Runs.Any(r => r.Metrics.ContainsKey(k)));
        if (model.Runs.Count < 2 || metric is null)
        {
            return;
        }
        var points = model.Runs.Where(r => r.Metrics.ContainsKey(metric))
            .Select(r => ($"{r.Time}{(r.Commit is { Length: >= 8 } c ? " " + c.Substring(0, 8) : "")} {r.Trainer}", r.Metrics[metric])).ToArray();
        html.Append(F($"<h3>Run history <small>{model.Runs.Count} training runs</small></h3>\n")).Append(Line(points, metric)).Append('\n');
    }

    private static void Sweep(StringBuilder html, SweepReport? sweep)
    {
        if (sweep is null)
        {
            return;
        }
        html.Append(F($"<h3>Sweep <small>{Escape(sweep.Strategy)}, {sweep.Counts.Configurations} configurations, {sweep.Folds}-fold {Escape(sweep.Metric)}</small></h3>\n"));
        html.Append(F($"<table class=\"sweep\"><tr><th>#</th><th>trainer</th><th>options</th><th>{Escape(sweep.Metric)}</th><th>±</th></tr>\n"));
        foreach (var trial in sweep.Trials.Where(t => t.Status != TrialRecord.Failed).Take(LeaderboardRows))
        {
            var options = string.Join(", ", trial.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {Convert.ToString(o.Value, CultureInfo.InvariantCulture)}"));
            html.Append(F($"<tr><td>{trial.Index}</td><td>{Escape(trial.Trainer)}</td><td>{Escape(options)}</td><td>{Number(trial.Mean.TryGetValue(sweep.Metric, out var mean) ? mean : double.NaN)}</td><td>{Number(trial.StandardDeviation.TryGetValue(sweep.Metric, out var sd) ? sd : double.NaN)}</td></tr>\n"));
        }
        html.Append("</table>\n");
        Parallel(html, sweep);
    }

    /// <summary>The best trainer's trials on parallel axes: its numeric options, then the sweep metric.</summary>
    private static void Parallel(StringBuilder html, SweepReport sweep)
    {
        var finished = sweep.Trials.Where(t => t.Status != TrialRecord.Failed && t.Mean.ContainsKey(sweep.Metric)).ToArray();
        if (finished.Length < 2)
        {
            return;
        }
        var best = finished[0];
        var trials = finished.Where(t => t.Trainer == best.Trainer).GroupBy(t => t.Index).Select(g => g.OrderByDescending(t => t.Rung).First()).ToArray();
        var options = trials.SelectMany(t => t.Options.Where(o => AsNumber(o.Value) is not null).Select(o => o.Key)).Distinct()
            .Where(name => trials.All(t => t.Options.TryGetValue(name, out var v) && AsNumber(v) is not null)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (options.Length == 0 || trials.Length < 2)
        {
            return;
        }
        var rows = trials.Select(t => (
            Values: options.Select(o => AsNumber(t.Options[o])!.Value).Append(t.Mean[sweep.Metric]).ToArray(),
            Title: F($"#{t.Index}: {string.Join(", ", options.Select(o => $"{o} {Convert.ToString(t.Options[o], CultureInfo.InvariantCulture)}"))}; {sweep.Metric} {Number(t.Mean[sweep.Metric])}"),
            Best: t.Index == best.Index)).ToArray();
        html.Append(F($"<h3>Options against {Escape(sweep.Metric)} <small>{trials.Length} {Escape(best.Trainer)} trials, the best drawn strongest</small></h3>\n"))
            .Append(ParallelCoordinates([.. options, sweep.Metric], rows)).Append('\n');
    }

    /// <summary>An option value as a number: numbers as they are (read back from JSON as elements), else null.</summary>
    private static double? AsNumber(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDouble(),
        _ => null,
    };

    private static string Anchor(string name) => "model-" + name;

    private static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Style = """

        :root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --bar: #0969da; --negative: #cf222e; --better: #1a7f37; --worse: #cf222e; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --bar: #4493f8; --negative: #f85149; --better: #3fb950; --worse: #f85149; } }
        body { font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2em auto; max-width: 980px; padding: 0 1em; }
        a { color: var(--bar); }
        h1 small, h2 small, h3 small { color: var(--muted); font-weight: normal; font-size: 0.8em; }
        section { border-top: 1px solid var(--line); margin-top: 2em; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 2px 10px; text-align: left; }
        td.better { color: var(--better); } td.worse { color: var(--worse); }
        .grid { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; } figcaption { color: var(--muted); font-size: 0.9em; }
        svg.chart text { fill: var(--fg); font-size: 12px; } svg.chart .axis { fill: var(--muted); }
        svg.chart .bar { fill: var(--bar); } svg.chart .negative { fill: var(--negative); }
        svg.heatmap .cell { fill: var(--bar); } svg.heatmap .count.strong { fill: var(--bg); } svg.chart .small { font-size: 10px; }
        svg.chart .frame { fill: none; stroke: var(--line); } svg.chart .reference { stroke: var(--muted); stroke-dasharray: 4 3; }
        svg.chart .line { fill: none; stroke: var(--bar); stroke-width: 2; } svg.chart .point { fill: var(--bar); }
        svg.chart .series-1 { stroke-dasharray: 6 3; } svg.chart .series-2 { stroke-dasharray: 2 3; } svg.chart .series-3 { stroke-dasharray: 8 3 2 3; }
        svg.chart .reference-bar { fill: var(--muted); fill-opacity: 0.6; }
        svg.chart .axis-line { stroke: var(--muted); } svg.chart .trial { stroke-opacity: 0.35; stroke-width: 1.5; } svg.chart .best { stroke-width: 3.5; }
        .legend { color: var(--muted); } .swatch { display: inline-block; width: 10px; height: 10px; background: var(--bar); } .reference-swatch { background: var(--muted); opacity: 0.6; }
        details > summary { cursor: pointer; color: var(--muted); margin: 0.5em 0; }

        """;
}

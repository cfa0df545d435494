using MLOps.Build.Testing;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using MLOps.Build.Artifacts;
using MLOps.Build.Reporting;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Reporting;

/// <summary>The HTML report from real trainer output (the fixtures), checked as text and in headless Chromium.</summary>
public sealed class HtmlReportTests : IDisposable
{
    private static readonly string RepositoryRoot = typeof(HtmlReportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static ModelCard Card(string model) =>
        ArtifactJson.Read(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", model, "modelcard.json"), ArtifactJson.ModelCard);

    private static ReportModel[] Models()
    {
        var weather = Card("WeatherModel");
        // The accepted model was a little better at MicroAccuracy and a little worse at LogLoss than this build.
        var accepted = ModelLock.FromCard(weather.Name, weather, weather.Fingerprint) with
        {
            Metrics = weather.Metrics.ToDictionary(m => m.Key, m => m.Key == "LogLoss" ? m.Value + 0.05 : m.Key == "MicroAccuracy" ? m.Value + 0.01 : m.Value),
        };
        var location = new ReportLocation("WeatherModel.mlmodel.json", 1, 1);
        var statistics = (double? psi) => new DriftStatisticsCard(psi, null, null, null, null, null, null, null);
        var drift = new DriftReport(DriftReport.CurrentSchemaVersion, weather.Name, "fp", weather.Fingerprint,
            new DriftDataCard("data/train.csv", null, 1096), new DriftDataCard("data/2015.csv", null, 365), "auto", 0.5, 2, 1, false, location,
            [
                new FeatureDriftCard("temp_max", "float", "psi", "psi", 0.31, 0.2, true, location, statistics(0.31), 0, 0, [], 0, 1096, 365)
                {
                    Bins = new DriftBinsCard([-1.6, 10, 15, 20, 35.6], null, [274, 274, 274, 274], [40, 80, 120, 125]),
                },
                new FeatureDriftCard("wind", "float", "psi", "psi", 0.04, 0.2, false, location, statistics(0.04), 0, 0, [], 0, 1096, 365),
            ])
        {
            Estimate = new EstimateCard("MicroAccuracy", 0.8123, 0.0345, 365, 0.86, 0.9, 0.031, 0.05, null, []),
            Production = new ProductionCard(
            [
                new ProductionWindowCard("2026-12-01T00:00:00.000Z", "2026-12-01T12:00:00.000Z", 180, new Dictionary<string, double> { ["temp_max"] = 0.05, ["wind"] = 0.01 }, 0.84, 0.83, 90),
                new ProductionWindowCard("2026-12-01T12:00:00.000Z", "2026-12-02T00:00:00.000Z", 185, new Dictionary<string, double> { ["temp_max"] = 0.61, ["wind"] = 0.02 }, 0.71, null, 0),
            ], 90),
        };
        RunRecord Run(string time, double accuracy) => new(time, "0123456789abcdef", weather.Name, weather.Fingerprint, "sha", "LightGbm",
            new Dictionary<string, object?>(), 42, new Dictionary<string, string>(), new Dictionary<string, double> { ["LogLoss"] = 1 - accuracy, ["MicroAccuracy"] = accuracy }, 3.5, "0.1.0", null);
        var runs = new[] { Run("2026-11-01T10:00:00Z", 0.78), Run("2026-11-08T10:00:00Z", 0.80), Run("2026-11-15T10:00:00Z", 0.8055) };
        TrialRecord Trial(int index, long leaves, double rate, double accuracy) => new(index, 0, "LightGbm",
            new Dictionary<string, object?> { ["NumberOfLeaves"] = leaves, ["LearningRate"] = rate }, "fp" + index, TrialRecord.Ok, null, [],
            new Dictionary<string, double> { ["MacroAccuracy"] = accuracy }, new Dictionary<string, double> { ["MacroAccuracy"] = 0.02 }, 100);
        var sweep = new SweepReport(SweepReport.CurrentSchemaVersion, weather.Name, "MacroAccuracy", true, "random", 3, new SweepBudgetCard(4, null),
            new SweepCountsCard(4, 4, 0, 4, 0, 0), 1000, Trial(2, 9, 0.05, 0.52),
            [Trial(2, 9, 0.05, 0.52), Trial(0, 15, 0.1, 0.50), Trial(3, 30, 0.2, 0.47), Trial(1, 4, 0.02, 0.45)]);
        return [new ReportModel(weather, accepted, drift, sweep) { Runs = runs }, new ReportModel(Card("ChurnModel"), null, null, null), new ReportModel(Card("TenureModel"), null, null, null)];
    }

    [Fact]
    public void The_report_shows_every_model_with_its_charts_and_the_same_artifacts_give_the_same_bytes()
    {
        var html = HtmlReport.Write("Contoso.App", Models());

        Assert.Equal(html, HtmlReport.Write("Contoso.App", Models()));
        Assert.Contains("<section id=\"model-WeatherModel\">", html);
        Assert.Contains("<section id=\"model-ChurnModel\">", html);
        Assert.Contains("class=\"chart heatmap\"", html);
        Assert.Contains("Feature importance", html);
        Assert.Contains("class=\"chart histogram\"", html);
        Assert.Contains("<figcaption>ROC curve</figcaption>", html);
        Assert.Contains("<figcaption>Calibration</figcaption>", html);
        Assert.Contains("<figcaption>Predicted against actual</figcaption>", html);
        Assert.Contains("<figcaption>Residuals</figcaption>", html);
        Assert.Contains("<figcaption>temp_max — drifts</figcaption>", html);
        Assert.Contains("class=\"chart overlay\"", html);
        Assert.Contains("Run history <small>3 training runs</small>", html);
        Assert.Contains("class=\"chart parallel\"", html);
        Assert.Contains("<title>#2: LearningRate 0.05, NumberOfLeaves 9; MacroAccuracy 0.52</title>", html);
        // MicroAccuracy fell against the accepted model (worse), LogLoss fell too (better: lower is better).
        Assert.Matches(new Regex("<td>MicroAccuracy</td><td>[0-9.]+</td><td>[0-9.]+</td><td class=\"worse\">-0.01</td>"), html);
        Assert.Matches(new Regex("<td>LogLoss</td><td>[0-9.]+</td><td>[0-9.]+</td><td class=\"better\">-0.05</td>"), html);
        Assert.Contains("1 of 2 features drift", html);
        Assert.Contains("<h3>Production <small>2 windows of captured rows, 90 with an outcome</small></h3>", html);
        Assert.Contains("<tr><td>2026-12-01T12:00:00.000Z – 2026-12-02T00:00:00.000Z</td><td>185</td><td>0.71</td><td>—</td><td class=\"worse\">0.61</td><td class=\"same\">0.02</td></tr>", html);
        Assert.Contains("class=\"chart series\"", html);
        Assert.Contains("<title>2026-12-01T00:00:00.000Z: realized 0.83</title>", html);
        Assert.Contains("Estimated MicroAccuracy without labels: <strong>0.8123 ± 0.0345</strong> on 365 current rows (test 0.86; calibration error 0.031).", html);
        Assert.Contains("<p class=\"data\">Scored by compiled kernels, checked against ONNX Runtime on 882 rows (largest difference ", html);
        Assert.DoesNotContain("<script", html);
        Assert.True(html.Length < 1_000_000, $"{html.Length} bytes");
    }

    [Fact]
    public void A_text_model_s_report_says_it_follows_ML_NET_and_where_ONNX_Runtime_differs()
    {
        var card = Card("ChurnModel");
        card = card with
        {
            Scoring = card.Scoring! with
            {
                TextAgainstMLNet = new ScorerAgreementCard(9.5e-6, 1, 359, 54),
                OnnxRuntimeDiffers = new ScorerAgreementCard(5.5, 0.974, 115, 0),
            },
        };

        var html = HtmlReport.Write("Mail", [new ReportModel(card, null, null, null)]);

        Assert.Contains("Text featurized with ML.NET's semantics and checked against ML.NET itself on 359 rows, 54 of them synthetic texts (largest difference 9.5E-06).", html);
        Assert.Contains("On 115 rows whose text holds a surrogate pair or U+FFFD, <code>model.onnx</code> scored by ONNX Runtime differs from ML.NET by up to 5.5", html);
        Assert.Contains("The app scores compiled, which follows ML.NET.", html);
        Assert.DoesNotContain("ML.NET itself", HtmlReport.Write("Mail", [new ReportModel(Card("ChurnModel"), null, null, null)]));
    }

    [Fact]
    public void The_build_s_report_judges_the_manifest_s_gates_as_the_validation_does_and_is_rewritten_only_when_it_changes()
    {
        var card = Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", "WeatherModel", "modelcard.json");
        var manifest = _repo.Write("WeatherModel.mlmodel.json", """
            { "name": "WeatherModel", "task": "multiclass", "label": "weather", "data": { "train": "d.csv" }, "trainer": "LightGbm",
              "gates": [ { "metric": "MicroAccuracy", "min": 0.75 }, { "metric": "MacroAccuracy", "min": 0.6 }, { "metric": "LogLoss", "maxIncrease": 0.05 } ] }
            """);
        var report = Path.Combine(_repo.Root, "obj", "report.html");
        var engine = new FakeBuildEngine();
        var task = new Microsoft.Build.Utilities.TaskLoggingHelper(engine, "WriteReport");
        var source = new MLOps.Build.Tasks.Report.ReportSource(card, Path.Combine(_repo.Root, "none.lock.json"), "", "", manifest);

        Assert.True(MLOps.Build.Tasks.Report.ReportFile.Write("Contoso.App", report, [source], task));
        var html = File.ReadAllText(report);
        Assert.Contains("<td>MicroAccuracy</td><td>≥ 0.75</td><td>0.8055</td><td class=\"better\">pass</td>", html);
        Assert.Contains("<td>MacroAccuracy</td><td>≥ 0.6</td><td>0.4909</td><td class=\"worse\">fail</td>", html);
        Assert.Contains("<td class=\"same\">skipped (no accepted model)</td>", html);
        Assert.False(MLOps.Build.Tasks.Report.ReportFile.Write("Contoso.App", report, [source], task));
        Assert.Empty(engine.Logged);
    }

    [Fact]
    [Trait(TestTiers.Trait, TestTiers.Browser)]
    public void Headless_Chromium_renders_the_report_with_no_console_error_and_every_chart_present()
    {
        var path = _repo.Write("report.html", HtmlReport.Write("Contoso.App", Models()));
        var screenshot = Path.Combine(RepositoryRoot, "artifacts", "test-results", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        // Kept beside the screenshot, for a person to look at.
        File.Copy(path, Path.ChangeExtension(screenshot, ".html"), overwrite: true);

        var dom = Chromium("--dump-dom", new Uri(path).AbsoluteUri);
        var shot = Chromium($"--screenshot={screenshot}", "--window-size=1100,2400", new Uri(path).AbsoluteUri);

        Assert.Equal(0, dom.ExitCode);
        // Weather: confusion matrix, importance, 4 histograms, drift PSI bars, one drift overlay, sweep, run history, and the
        // production windows' accuracy and PSI; Churn: matrix, ROC, precision–recall, calibration, importance, 3 histograms;
        // Tenure (regression): predicted against actual, residuals, importance, 3 histograms.
        Assert.Equal(12 + 8 + 6, Regex.Matches(dom.Output, "<svg ").Count);
        Assert.DoesNotMatch(new Regex(@"CONSOLE\(\d+\)|Uncaught", RegexOptions.IgnoreCase), dom.Error + shot.Error);
        Assert.True(new FileInfo(screenshot).Length > 20_000, "the screenshot is not empty");
    }

    [Fact]
    public void A_wide_table_s_columns_past_the_thirtieth_are_in_the_page_inside_closed_details()
    {
        var weather = Card("WeatherModel");
        var numeric = weather.Inputs.First(i => i.Statistics?.Histogram is not null);
        var wide = weather with
        {
            Inputs = Enumerable.Range(0, 100).Select(i => numeric with { Column = $"pixel {i}", Property = $"Pixel{i}" }).ToArray(),
            FeatureImportance = Enumerable.Range(0, 100).Select(i => new FeatureImportanceCard($"pixel {i}", "MicroAccuracy", 0.5 - (i / 1000.0), 0.001)).ToArray(),
        };

        var html = HtmlReport.Write("Contoso.App", [new ReportModel(wide, null, null, null)]);

        // Inputs, importance bars and histograms: 30 open, 70 folded, each exactly once.
        Assert.Equal(3, Regex.Matches(html, "<details><summary>70 more (inputs|columns)</summary>").Count);
        Assert.Equal(3, Regex.Matches(html, "</details>").Count);
        var firstFold = html.IndexOf("<details>", StringComparison.Ordinal);
        Assert.InRange(html.IndexOf("<td>pixel 29</td>", StringComparison.Ordinal), 0, firstFold);
        Assert.InRange(html.IndexOf("<td>pixel 30</td>", StringComparison.Ordinal), firstFold, html.IndexOf("</details>", StringComparison.Ordinal));
        Assert.Single(Regex.Matches(html, "<td>pixel 99</td>"));
        Assert.Single(Regex.Matches(html, "<figcaption>pixel 99</figcaption>"));
    }

    [Fact]
    public void Production_windows_of_a_wide_table_show_the_PSI_of_the_eight_features_that_rose_highest()
    {
        var models = Models();
        var drift = models[0].Drift!;
        var windows = drift.Production!.Windows.Select((w, i) => w with
        {
            Psi = Enumerable.Range(0, 40).ToDictionary(f => $"pixel {f}", f => f == 17 && i == 1 ? 0.9 : f / 100.0),
        }).ToArray();

        var html = HtmlReport.Write("Contoso.App", [models[0] with { Drift = drift with { Production = drift.Production with { Windows = windows } } }]);

        Assert.Contains("PSI of the 8 of 40 features that rose highest", html);
        var columns = Regex.Matches(html, "<th>PSI (pixel \\d+)</th>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["pixel 17", "pixel 39", "pixel 38", "pixel 37", "pixel 36", "pixel 35", "pixel 34", "pixel 33"], columns);
    }

    [Fact]
    public void A_200_class_confusion_matrix_fits_the_page_with_the_frequent_classes_and_the_rest_summed()
    {
        var labels = Enumerable.Range(0, 200).Select(i => $"a rather long class name number {i:000}").ToArray();
        var counts = labels.Select((_, r) => (IReadOnlyList<long>)labels.Select((_, c) => (long)(r == c ? 1000 - r : (r + c) % 3)).ToArray()).ToArray();

        var svg = SvgCharts.Heatmap(labels, counts);

        var width = int.Parse(Regex.Match(svg, "width=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(width, 300, 980);
        Assert.Contains("(176 others)", svg);
        Assert.Contains("a rather long class nam…<title>a rather long class name number 000</title>", svg);
        Assert.DoesNotContain("number 199</title></text>", svg); // the least frequent classes are summed
        Assert.Equal(25 * 25, Regex.Matches(svg, "class=\"cell\"").Count);
        var total = counts.Sum(r => r.Sum());
        Assert.Equal(total, Regex.Matches(svg, ": (\\d+) \\(").Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_0_1_histogram_has_two_bars_as_wide_as_their_bins_and_values_on_its_axis()
    {
        var svg = SvgCharts.Histogram([0, 0.5, 1], [720, 280]);

        var widths = Regex.Matches(svg, "<rect [^>]*width=\"([0-9.]+)\"").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, widths.Length);
        Assert.Equal(widths[0], widths[1], 1);
        Assert.Contains(">0</text>", svg);
        Assert.Contains(">1</text>", svg);
    }

    [Fact]
    public void Drift_bins_are_labelled_under_their_bars()
    {
        var svg = SvgCharts.Overlay(["[-1.6, 10)", "[10, 15)"], [10, 20], [5, 25]);

        Assert.Contains(">[-1.6, 10)</text>", svg);
        Assert.Contains(">[10, 15)</text>", svg);
    }

    private static (int ExitCode, string Output, string Error) Chromium(params string[] arguments)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : "chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "Chromium did not finish within a minute");
        return (process.ExitCode, output.Result, error.Result);
    }
}

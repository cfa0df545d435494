using MLOps.Build.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// The model in a running service (samples/WeatherService, built from the packed packages): a real Prometheus scrapes
/// it while the test sends training-like traffic with outcomes, then a heat wave, then outcomes that go wrong. The
/// service captures its traffic and outcomes; stopped, its capture folder becomes the manifest's current data, the next
/// build reports the heat wave as drift and gates on the accuracy estimated without labels, and <c>dotnet mlops data
/// add</c> turns the labelled rows into a new pinned training file that the build after retrains on.
/// </summary>
[Collection(PackagesCollection.Name)]
[Trait(TestTiers.Trait, TestTiers.Server)]
public sealed class ServiceMonitoringTests(PackagesFixture packages)
{
    private const string Psi = "mlops_model_feature_psi{{mlops_feature=\"temp_max\",mlops_window=\"{0}\"}}";
    private const string Accuracy = "mlops_model_live_metric{{mlops_metric=\"MicroAccuracy\",mlops_window=\"{0}\"}}";

    [Fact]
    public async Task Prometheus_sees_windowed_drift_rise_while_the_all_time_figure_lags_live_accuracy_fall_and_health_goes_Healthy_Degraded_Unhealthy()
    {
        if (!File.Exists("/usr/bin/prometheus"))
        {
            Assert.Fail("prometheus is not installed (apt-get install prometheus); .ci/run installs it.");
        }
        using var project = new ConsumerProject(packages, "WeatherService");
        var sample = Path.Combine(packages.RepositoryRoot, "samples", "WeatherService");
        project.Write("WeatherService.csproj", File.ReadAllText(Path.Combine(sample, "WeatherService.csproj")).Replace("$(MLOpsVersion)", packages.Version));
        project.Write("Program.cs", File.ReadAllText(Path.Combine(sample, "Program.cs")));
        project.Write("appsettings.json", File.ReadAllText(Path.Combine(sample, "appsettings.json")));
        // The training data as a folder (a set), so that captured rows can join it as a new file.
        project.Write("Models/WeatherModel.mlmodel.json", File.ReadAllText(Path.Combine(sample, "Models", "WeatherModel.mlmodel.json"))
            .Replace("../../WeatherForecast/Models/data/seattle-weather-2012-2014.csv", "data/train/").Replace("../../WeatherForecast/Models/data/", "data/"));
        project.CopySampleWeatherData();
        project.Write("Models/data/train/2012-2014.csv", project.Read("Models/data/seattle-weather-2012-2014.csv"));
        var port = MLOps.Build.Testing.LoopbackPorts.Free();
        var url = $"http://127.0.0.1:{port}";

        await project.VerifyAsync(nameof(Prometheus_sees_windowed_drift_rise_while_the_all_time_figure_lags_live_accuracy_fall_and_health_goes_Healthy_Degraded_Unhealthy), async () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);

            // A 20-second window, so that the test can wait for normal traffic to leave it.
            var environment = new Dictionary<string, string>(project.Environment)
            {
                ["MLOps__Models__WeatherModel__DriftWindows__0"] = "20s",
                ["MLOps__Models__WeatherModel__MinimumRows"] = "50",
                ["MLOps__Models__WeatherModel__MinimumOutcomes"] = "50",
                ["MLOps__Models__WeatherModel__CaptureDirectory"] = project.PathOf("captured"),
                ["MLOps__Models__WeatherModel__CaptureSampleRate"] = "1",
            };
            // The app itself rather than `dotnet run`, so that SIGTERM reaches it and it shuts down as in production.
            var app = Directory.GetFiles(project.PathOf("bin"), "WeatherService.dll", SearchOption.AllDirectories).Single(f => !f.Contains("/ref/", StringComparison.Ordinal));
            using var service = DotNet.Start(project.Root, environment, app, "--urls", url);
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForService(http, service);
            using var prometheus = new PrometheusServer(project.PathOf("prometheus"), $"127.0.0.1:{port}");

            // Phase 1: the training days, each with its real weather.
            var days = File.ReadLines(project.PathOf("Models/data/seattle-weather-2012-2014.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
            var id = 0;
            foreach (var day in days)
            {
                await Score(http, $"d{id}", N(day[1]), N(day[2]), N(day[3]), N(day[4]));
                await Outcome(http, $"d{id++}", day[5]);
            }
            Assert.Equal("Healthy", await Health(http));
            Assert.NotNull(await prometheus.WaitFor(string.Format(CultureInfo.InvariantCulture, Psi, "all"), _ => true));

            // Phase 2, once the training days have left the 20 s window: a heat wave, forecasts confirmed.
            await Task.Delay(TimeSpan.FromSeconds(22));
            for (var n = 0; n < 300; n++, id++)
            {
                var weather = await Score(http, $"h{id}", 0, 30 + n % 6, 15 + n % 4, 2);
                await Outcome(http, $"h{id}", weather);
            }
            var windowPsi = await prometheus.WaitFor(string.Format(CultureInfo.InvariantCulture, Psi, "20s"), v => v > 0.2);
            var allTimePsi = await prometheus.Value(string.Format(CultureInfo.InvariantCulture, Psi, "all"));
            Assert.True(windowPsi > 0.2, $"windowed PSI {windowPsi}");
            Assert.True(allTimePsi < windowPsi / 2, $"all-time PSI {allTimePsi} against windowed {windowPsi}");
            Assert.Equal(1.0, await prometheus.WaitFor(string.Format(CultureInfo.InvariantCulture, Accuracy, "20s"), v => v == 1));
            Assert.Equal("Degraded", await Health(http));

            // Phase 3: the forecasts go wrong; live accuracy falls below the manifest's gate (MicroAccuracy ≥ 0.75), which
            // the generated class carries: appsettings.json sets no gate.
            for (var n = 0; n < 400; n++, id++)
            {
                var weather = await Score(http, $"w{id}", 0, 30 + n % 6, 15 + n % 4, 2);
                await Outcome(http, $"w{id}", weather == "sun" ? "rain" : "sun");
            }
            var accuracy = await prometheus.WaitFor(string.Format(CultureInfo.InvariantCulture, Accuracy, "20s"), v => v < 0.6);
            Assert.True(accuracy < 0.6, $"live accuracy {accuracy}");
            Assert.Equal("Unhealthy", await Health(http));
            Assert.Contains("is below the gate's 0.75", await HealthDescription(http));
            // Each change of state is logged once (the console logger writes from a queue: give it a moment).
            for (var wait = 0; wait < 50 && !service.Output.Contains("Model WeatherModel is Unhealthy", StringComparison.Ordinal); wait++)
            {
                await Task.Delay(100);
            }
            Assert.Contains("Model WeatherModel is Degraded", service.Output);
            Assert.Contains("Model WeatherModel is Unhealthy", service.Output);

            // Every panel of the documented Grafana dashboard finds series in what Prometheus scraped (a query may find
            // none where the model has no such feature: the weather model has no category, so no unseen share).
            var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(packages.RepositoryRoot, "docs", "dashboards", "mlops-runtime.json")));
            foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
            {
                var queries = panel.GetProperty("targets").EnumerateArray()
                    .Select(t => t.GetProperty("expr").GetString()!.Replace("$model", "WeatherModel", StringComparison.Ordinal).Replace("$window", "20s", StringComparison.Ordinal)).ToArray();
                var series = 0;
                foreach (var query in queries)
                {
                    series += await prometheus.Series(query);
                }
                Assert.True(series > 0, $"panel '{panel.GetProperty("title").GetString()}': no series for {string.Join(" | ", queries)}");
            }

            // Shut down as an orchestrator would: the captured rows are written to one complete file on the way out.
            Assert.True(service.Terminate(TimeSpan.FromSeconds(30)), service.Output);
            var captured = Assert.Single(Directory.GetFiles(project.PathOf("captured")));
            Assert.Matches(@"capture-WeatherModel-\d{8}T\d{6}Z-000001\.parquet$", captured);

            var outcomes = Assert.Single(Directory.GetFiles(project.PathOf("captured/outcomes")));
            Assert.Matches(@"outcomes-WeatherModel-\d{8}T\d{6}Z-000001\.parquet$", outcomes);

            // A value the model cannot use stops the service's start (ValidateOnStart), naming its section, before it
            // listens or captures anything.
            var misconfigured = new Dictionary<string, string>(environment) { ["MLOps__Models__WeatherModel__CaptureSampleRate"] = "2" };
            using (var refused = DotNet.Start(project.Root, misconfigured, app, "--urls", url))
            {
                var start = refused.Wait(TimeSpan.FromMinutes(1));
                Assert.NotEqual(0, start.ExitCode);
                Assert.Contains("MLOps:Models:WeatherModel: CaptureSampleRate must be from 0 (off) to 1 (it is 2).", start.Output);
            }
            Assert.Single(Directory.GetFiles(project.PathOf("captured")));

            // The capture folder as the manifest's current data, with a gate on the accuracy estimated without labels:
            // the next build's drift check sees the heat wave, estimates the accuracy, and the analyzer fails the gate.
            var manifestPath = project.PathOf("Models/WeatherModel.mlmodel.json");
            var manifest = File.ReadAllText(manifestPath);
            var current = System.Text.RegularExpressions.Regex.Match(manifest, @"""current"": \{[^}]*\}").Value;
            File.WriteAllText(manifestPath, manifest.Replace(current, "\"current\": \"../captured/\", \"maxCalibrationError\": 0.5")
                .Replace("{ \"metric\": \"MicroAccuracy\", \"min\": 0.75 },", "{ \"metric\": \"MicroAccuracy\", \"min\": 0.75 },\n    { \"metric\": \"estimated.MicroAccuracy\", \"min\": 0.99 },"));
            var gated = project.Build();
            Assert.False(gated.Succeeded, gated.Output);
            Assert.Matches($@"MLOPS4100: WeatherModel: drift checked, {id} current rows against 1096 training rows: \d of 4 features drift \([^)]*temp_max", gated.Output);
            Assert.Contains(gated.WithCode("MLOPS4001"), d => d.Message.Contains("'temp_max'", StringComparison.Ordinal));
            Assert.Matches($@"MLOPS4106: WeatherModel: estimated MicroAccuracy 0\.\d+ ± 0\.\d+ on {id.ToString("N0", CultureInfo.InvariantCulture)} current rows \(test 0\.\d+; calibration error 0\.\d+, without labels\)", gated.Output);
            var failedGate = Assert.Single(gated.Errors);
            Assert.Equal("MLOPS4007", failedGate.Code);
            Assert.Contains($"on {id} rows of '../captured/' (without labels) is outside the gate min 0.99", failedGate.Message);
            // The production section: the captured rows in windows of time. The last window holds phase 3, whose outcomes
            // were all wrong (with the end of phase 2, whose were right): realized accuracy falls, which no estimate
            // without labels can see (the model is as sure as ever).
            using (var drift = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/WeatherModel/drift.json"))))
            {
                var production = drift.RootElement.GetProperty("production");
                var windows = production.GetProperty("windows").EnumerateArray().ToArray();
                Assert.Equal(id, windows.Sum(w => w.GetProperty("rows").GetInt64()));
                Assert.Equal(id, production.GetProperty("outcomes").GetInt64());
                Assert.True(windows[0].GetProperty("realized").GetDouble() > 0.7, windows[0].ToString());
                Assert.True(windows[^1].GetProperty("realized").GetDouble() < 0.6, windows[^1].ToString());
                Assert.True(windows[^1].GetProperty("estimated").GetDouble() > windows[^1].GetProperty("realized").GetDouble() + 0.2, windows[^1].ToString());
                Assert.True(windows[^1].GetProperty("estimated").GetDouble() > 0.5, windows[^1].ToString());
                Assert.True(windows[^1].GetProperty("psi").GetProperty("temp_max").GetDouble() > 0.2, windows[^1].ToString());
            }
            File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"min\": 0.99", "\"min\": 0.3"));
            var rebuild = project.Build();
            Assert.True(rebuild.Succeeded, rebuild.Output);
            Assert.Empty(rebuild.WithCode("MLOPS4007"));

            // The labelled captured rows back into training: a new pinned file of the training set, then a retrained model.
            var tools = project.PathOf(".tools");
            var install = DotNet.Run(project.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
            Assert.True(install.Succeeded, install.Output);
            var added = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "data", "add", "--model", "WeatherModel", "--captured", "captured", "--json");
            Assert.True(added.Succeeded, added.Output);
            var result = JsonDocument.Parse(added.Output.Substring(added.Output.IndexOf('{'))).RootElement;
            Assert.Equal((id, id, 0), (result.GetProperty("added").GetInt32(), result.GetProperty("captured").GetInt32(), result.GetProperty("withoutOutcome").GetInt32()));
            var file = result.GetProperty("file").GetString()!;
            Assert.Matches(@"^data/train/captured-\d{8}T\d{6}Z\.csv$", file);
            Assert.Contains($"\"sha256\": \"{result.GetProperty("sha256").GetString()}\"", File.ReadAllText(manifestPath));
            // The build retrains on the grown set. Phase 3's outcomes were wrong on purpose, so the model learned from
            // them is worse, and the change gate on LogLoss stops it from being accepted: production data is reviewed.
            var retrained = project.Build("MLOpsUpdateLock=true");
            Assert.Contains($"MLOPS2010: WeatherModel: trained LightGbm on {1096 + id} rows", retrained.Output);
            Assert.Equal(["MLOPS3005"], retrained.Errors.Select(e => e.Code).Distinct());
            using var card = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/WeatherModel/modelcard.json")));
            Assert.Equal(1096 + id, card.RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt32());
            var runs = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "runs", "--json");
            Assert.True(runs.Succeeded, runs.Output);
            var history = JsonDocument.Parse(runs.Output.Substring(runs.Output.IndexOf('['))).RootElement[0].GetProperty("runs").EnumerateArray()
                .Select(r => r.GetProperty("data").GetProperty("data.train").GetString()).ToArray();
            Assert.Equal(2, history.Length);
            Assert.Equal(result.GetProperty("sha256").GetString(), history[1]);
            Assert.NotEqual(history[0], history[1]);
        });
    }

    private static float N(string cell) => float.Parse(cell, CultureInfo.InvariantCulture);

    private static async Task<string> Score(HttpClient http, string id, float precipitation, float tempMax, float tempMin, float wind)
    {
        var response = await http.PostAsJsonAsync($"/predict/{id}", new { precipitation, tempMax, tempMin, wind });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("weather").GetString()!;
    }

    private static async Task Outcome(HttpClient http, string id, string weather)
    {
        var response = await http.PostAsJsonAsync($"/outcome/{id}", new { weather });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<string> Health(HttpClient http)
    {
        var response = await http.GetAsync("/health");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }

    private static async Task<string> HealthDescription(HttpClient http)
    {
        var response = await http.GetAsync("/health");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("mlops-WeatherModel").GetProperty("description").GetString()!;
    }

    private static async Task WaitForService(HttpClient http, RunningProcess service)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the service did not answer /health in 60 s:\n" + service.Output);
    }
}

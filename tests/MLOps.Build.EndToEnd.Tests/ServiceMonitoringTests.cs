using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// The model in a running service (samples/WeatherService, built from the packed packages): a real Prometheus scrapes
/// it while the test sends training-like traffic with outcomes, then a heat wave, then outcomes that go wrong. The
/// service captures its traffic; stopped, its captured file becomes the manifest's current data, and the next build
/// reports the heat wave as drift.
/// </summary>
[Collection(PackagesCollection.Name)]
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
        project.Write("Models/WeatherModel.mlmodel.json", File.ReadAllText(Path.Combine(sample, "Models", "WeatherModel.mlmodel.json")).Replace("../../WeatherForecast/Models/data/", "data/"));
        project.CopySampleWeatherData();
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

            // The captured traffic as the manifest's current data: the next build's drift check sees the heat wave.
            var manifestPath = project.PathOf("Models/WeatherModel.mlmodel.json");
            var manifest = File.ReadAllText(manifestPath);
            var current = System.Text.RegularExpressions.Regex.Match(manifest, @"""current"": \{[^}]*\}").Value;
            File.WriteAllText(manifestPath, manifest.Replace(current, $"\"current\": \"{Path.GetRelativePath(project.PathOf("Models"), captured)}\""));
            var rebuild = project.Build();
            Assert.True(rebuild.Succeeded, rebuild.Output);
            Assert.Matches($@"MLOPS4100: WeatherModel: drift checked, {id} current rows against 1096 training rows: \d of 4 features drift \([^)]*temp_max", rebuild.Output);
            Assert.Contains(rebuild.WithCode("MLOPS4001"), d => d.Message.Contains("'temp_max'", StringComparison.Ordinal));
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

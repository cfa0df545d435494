using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLOps.Runtime.Hosting;
using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;
using OpenTelemetry.Metrics;

namespace MLOps.Runtime.Tests;

/// <summary>MLOps.Runtime.Hosting in a real container: registration, options from configuration, health states, logging, instrumentation.</summary>
[Collection(MeterListeners.Name)]
public sealed class HostingTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection> add, LogSink? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(l => l.AddProvider(logs ?? new LogSink()));
        add(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_model_is_one_singleton_loaded_with_its_configuration_section_and_disposed_with_the_host()
    {
        var provider = Services(new()
        {
            ["MLOps:Models:WeatherModel:MonitorDrift"] = "true",
            ["MLOps:Models:WeatherModel:DriftWindows:0"] = "1h",
            ["MLOps:Models:WeatherModel:DriftWindows:1"] = "1d",
        }, s => s.AddMLOpsModel<WeatherModel>());

        var model = provider.GetRequiredService<WeatherModel>();
        Assert.Same(model, provider.GetRequiredService<WeatherModel>());
        Assert.Equal(["1h", "1d"], model.DriftMonitor!.Windows.Select(w => w.Name));
        Assert.Null(model.Outcomes);
        provider.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => model.Predict(new WeatherModel.Input { TempMax = 10, TempMin = 2 }));
    }

    [Fact]
    public void Code_configures_after_the_configuration_section()
    {
        using var provider = Services(new() { ["MLOps:Models:ChurnModel:TrackOutcomes"] = "false" },
            s => s.AddMLOpsModel<ChurnModel>(o => o.TrackOutcomes = true));

        Assert.NotNull(provider.GetRequiredService<ChurnModel>().Outcomes);
    }

    [Fact]
    public void A_window_configuration_cannot_read_is_a_clear_error()
    {
        using var provider = Services(new() { ["MLOps:Models:WeatherModel:DriftWindows:0"] = "fifteen minutes" }, s => s.AddMLOpsModel<WeatherModel>());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<WeatherModel>());
        Assert.Contains("MLOps:Models:WeatherModel: 'fifteen minutes' is not a drift window length", error.Message);
    }

    [Fact]
    public void Values_the_model_cannot_use_fail_the_hosts_start_each_named_with_its_section()
    {
        var settings = new Dictionary<string, string?>
        {
            ["MLOps:Models:WeatherModel:TrackOutcomes"] = "true",
            ["MLOps:Models:WeatherModel:MaxPendingOutcomes"] = "0",
            ["MLOps:Models:WeatherModel:CaptureDirectory"] = "captured",
            ["MLOps:Models:WeatherModel:CaptureSampleRate"] = "2",
            ["MLOps:Models:WeatherModel:QualityMargin"] = "-0.1",
            ["MLOps:Models:WeatherModel:Gates:MacroAccuracy:Min"] = "0.9",
            ["MLOps:Models:WeatherModel:Gates:MacroAccuracy:Max"] = "0.5",
            ["MLOps:Models:ChurnModel:MaxPendingOutcomes"] = "0",   // outcomes not tracked: not used, not checked
        };
        using var provider = Services(settings, s => s.AddMLOpsModel<WeatherModel>().AddMLOpsModel<ChurnModel>());

        // What a host runs before it starts (Microsoft.Extensions.Hosting calls IStartupValidator).
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(
            [
                "MLOps:Models:WeatherModel: MaxPendingOutcomes must be at least 1 (it is 0).",
                "MLOps:Models:WeatherModel: CaptureSampleRate must be from 0 (off) to 1 (it is 2).",
                "MLOps:Models:WeatherModel: QualityMargin must be 0 or more (it is -0.1).",
                "MLOps:Models:WeatherModel: Gates:MacroAccuracy must have a Min at most its Max (it has Min 0.9, Max 0.5).",
            ], error.Failures);

        using var fine = Services(new() { ["MLOps:Models:WeatherModel:CaptureDirectory"] = "captured" }, s => s.AddMLOpsModel<WeatherModel>());
        fine.GetRequiredService<IStartupValidator>().Validate();

        // Configuration text is echoed cut and on one line, however long and whatever line breaks it holds.
        using var hostile = Services(new() { ["MLOps:Models:WeatherModel:DriftWindows:0"] = "15m\u2028\n" + new string('x', 100_000) }, s => s.AddMLOpsModel<WeatherModel>());
        var echoed = Assert.Throws<OptionsValidationException>(() => hostile.GetRequiredService<IStartupValidator>().Validate());
        Assert.DoesNotContain('\u2028', echoed.Message);
        Assert.DoesNotContain('\n', echoed.Message);
        Assert.True(echoed.Message.Length < 500, echoed.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_health_check_turns_monitoring_on_and_goes_Healthy_Degraded_Unhealthy_logging_each_change_once()
    {
        var logs = new LogSink();
        using var provider = Services(new()
        {
            ["MLOps:Models:WeatherModel:Gates:MicroAccuracy:Min"] = "0.5",
            ["MLOps:Models:WeatherModel:MinimumOutcomes"] = "50",
        }, s =>
        {
            s.AddMLOpsModel<WeatherModel>();
            s.AddHealthChecks().AddMLOpsModelCheck<WeatherModel>();
        }, logs);
        var model = provider.GetRequiredService<WeatherModel>();
        var health = provider.GetRequiredService<HealthCheckService>();
        Assert.NotNull(model.DriftMonitor);
        Assert.NotNull(model.Outcomes);

        // The training data itself as traffic, with its real outcomes.
        var i = 0;
        foreach (var line in File.ReadLines(Path.Combine(MLNetPredictions.RepositoryRoot, "samples", "WeatherForecast", "Models", "data", "seattle-weather-2012-2014.csv")).Skip(1))
        {
            var cells = line.Split(',');
            float Number(int column) => float.Parse(cells[column], System.Globalization.CultureInfo.InvariantCulture);
            model.Predict(new WeatherModel.Input { Precipitation = Number(1), TempMax = Number(2), TempMin = Number(3), Wind = Number(4) }, $"k{i}");
            model.RecordOutcome($"k{i++}", cells[5]);
        }
        var healthy = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Status);

        // A heat wave: temp_max drifts.
        for (var n = 0; n < 600; n++)
        {
            model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = 30 + n % 5, TempMin = 15, Wind = 3 });
        }
        var degraded = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        var entry = degraded.Entries["mlops-WeatherModel"];
        Assert.Contains("feature 'temp_max' drifts", entry.Description);
        Assert.True((double)entry.Data["psi.temp_max"] > 0.2);

        // Then every outcome wrong: the live gate breaks.
        for (var n = 0; n < 2000; n++, i++)
        {
            var output = model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = 12, TempMin = 5, Wind = 3 }, $"k{i}");
            model.RecordOutcome($"k{i}", WeatherModel.Classes.First(c => c != output.PredictedLabel));
        }
        var unhealthy = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("is below the gate's 0.5", unhealthy.Entries["mlops-WeatherModel"].Description);
        await health.CheckHealthAsync();

        Assert.Equal(["Healthy", "Degraded", "Unhealthy"], logs.Entries.Where(e => e.EventId == 1).Select(e => e.Message.Split(' ')[3].TrimEnd(':')));
    }

    [Fact]
    public void An_unmonitored_model_is_healthy_and_says_so()
    {
        using var provider = Services([], s => s.AddMLOpsModel<WeatherModel>());

        var result = ModelHealth.Judge("WeatherModel", null, null, MonitoringThresholds.None, new MLOpsModelOptions());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("not monitored", result.Description);
    }

    [Fact]
    public void The_manifests_drift_warnings_apply_per_feature_unless_configuration_sets_one_for_all()
    {
        var manifest = new MonitoringThresholds { DriftWarning = 0.3, FeatureDriftWarnings = new Dictionary<string, double> { ["temp_max"] = 0.5 } };

        Assert.Equal(0.5, ModelHealth.DriftWarning("temp_max", manifest, new MLOpsModelOptions()));
        Assert.Equal(0.3, ModelHealth.DriftWarning("wind", manifest, new MLOpsModelOptions()));
        Assert.Equal(MLOpsModelOptions.DefaultDriftWarning, ModelHealth.DriftWarning("wind", MonitoringThresholds.None, new MLOpsModelOptions()));
        Assert.Equal(0.1, ModelHealth.DriftWarning("temp_max", manifest, new MLOpsModelOptions { DriftWarning = 0.1 }));
    }

    [Fact]
    public void The_manifests_gates_apply_live_and_a_configured_gate_replaces_the_one_on_its_metric()
    {
        var manifest = new MonitoringThresholds { Gates = [new LiveGate("MicroAccuracy", 0.75, null), new LiveGate("LogLoss", null, 1.0)] };
        var options = new MLOpsModelOptions();
        options.Gates["MicroAccuracy"] = new MetricBounds { Min = 0.5 };
        options.Gates["MacroAccuracy"] = new MetricBounds { Min = 0.4 };

        Assert.Equal(
            [new LiveGate("LogLoss", null, 1.0), new LiveGate("MicroAccuracy", 0.5, null), new LiveGate("MacroAccuracy", 0.4, null)],
            ModelHealth.Gates(manifest, options));
        Assert.Equal(manifest.Gates, ModelHealth.Gates(manifest, new MLOpsModelOptions()));
    }

    [Fact]
    public void A_manifest_warning_above_the_drift_keeps_the_model_healthy_and_a_manifest_gate_makes_it_unhealthy()
    {
        using var model = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true, TrackOutcomes = true });
        for (var n = 0; n < 600; n++)
        {
            var output = model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = 30 + n % 5, TempMin = 15, Wind = 3 }, $"k{n}");
            model.RecordOutcome($"k{n}", WeatherModel.Classes.First(c => c != output.PredictedLabel));
        }
        var drift = model.DriftMonitor!.Snapshot(DriftWindow.AllTime);
        Assert.True(drift.Single(f => f.Feature == "temp_max").Psi > MLOpsModelOptions.DefaultDriftWarning);
        // Each feature's own warning level just above its drift.
        var lenient = new MonitoringThresholds { FeatureDriftWarnings = drift.ToDictionary(f => f.Feature, f => f.Psi + 0.01) };
        var options = new MLOpsModelOptions { QualityMargin = 1 };

        Assert.Equal(HealthStatus.Degraded, ModelHealth.Judge("WeatherModel", model.DriftMonitor, null, MonitoringThresholds.None, options).Status);
        Assert.Equal(HealthStatus.Healthy, ModelHealth.Judge("WeatherModel", model.DriftMonitor, null, lenient, options).Status);
        var gated = new MonitoringThresholds { FeatureDriftWarnings = lenient.FeatureDriftWarnings, Gates = [new LiveGate("MicroAccuracy", 0.75, null)] };
        var unhealthy = ModelHealth.Judge("WeatherModel", model.DriftMonitor, model.Outcomes, gated, options);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.StartsWith("WeatherModel: live MicroAccuracy 0 over 15m is below the gate's 0.75;", unhealthy.Description);

        // A gate on the estimate without labels degrades (the model is sure of its heat-wave forecasts: it passes 0.5, not 0.99).
        var estimated = model.DriftMonitor.Estimate("15m")!.Value;
        var estimateGate = new MonitoringThresholds { FeatureDriftWarnings = lenient.FeatureDriftWarnings, Gates = [new LiveGate("estimated.MicroAccuracy", 0.99, null)] };
        var degraded = ModelHealth.Judge("WeatherModel", model.DriftMonitor, null, estimateGate, options);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(FormattableString.Invariant($"WeatherModel: estimated MicroAccuracy {estimated:0.####} over 15m (without labels) is below the gate's 0.99"), degraded.Description);
        var passed = new MonitoringThresholds { FeatureDriftWarnings = lenient.FeatureDriftWarnings, Gates = [new LiveGate("estimated.MicroAccuracy", 0.5, null)] };
        Assert.Equal(HealthStatus.Healthy, ModelHealth.Judge("WeatherModel", model.DriftMonitor, null, passed, options).Status);
    }

    [Fact]
    public async Task Capture_is_configured_from_the_section_and_a_folder_it_cannot_write_is_logged_once_per_new_failure()
    {
        var blocked = Path.Combine(Path.GetTempPath(), "mlops-blocked-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(blocked, "a file where the folder should be");
        try
        {
            var logs = new LogSink();
            using var provider = Services(new()
            {
                ["MLOps:Models:WeatherModel:CaptureDirectory"] = blocked,
                ["MLOps:Models:WeatherModel:CaptureSampleRate"] = "1",
                ["MLOps:Models:WeatherModel:CaptureRowsPerFile"] = "5",
                ["MLOps:Models:WeatherModel:CaptureFileInterval"] = "1h",
            }, s =>
            {
                s.AddMLOpsModel<WeatherModel>();
                s.AddHealthChecks().AddMLOpsModelCheck<WeatherModel>();
            }, logs);
            var model = provider.GetRequiredService<WeatherModel>();
            var health = provider.GetRequiredService<HealthCheckService>();
            Assert.Equal(1.0, model.Capture!.SampleRate);

            for (var n = 0; n < 10; n++)
            {
                model.Predict(new WeatherModel.Input { TempMax = 10 + n, TempMin = 2 });
            }
            Assert.True(SpinWait.SpinUntil(() => model.Capture.Failures == 2, TimeSpan.FromSeconds(10)));
            var report = await health.CheckHealthAsync();
            await health.CheckHealthAsync();

            Assert.Equal(HealthStatus.Healthy, report.Status);
            Assert.Equal(2L, report.Entries["mlops-WeatherModel"].Data["capture.failures"]);
            Assert.Equal(10L, report.Entries["mlops-WeatherModel"].Data["capture.dropped"]);
            var logged = Assert.Single(logs.Entries, e => e.EventId == 2);
            Assert.StartsWith("Model WeatherModel could not write 2 captured file(s), their rows dropped; last: Cannot write captured file", logged.Message);
        }
        finally
        {
            File.Delete(blocked);
        }
    }

    [Fact]
    public async Task The_capture_memory_limit_is_configured_from_the_section_and_a_row_beyond_it_shows_as_dropped_in_health()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlops-limit-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var provider = Services(new()
            {
                ["MLOps:Models:WeatherModel:CaptureDirectory"] = folder,
                ["MLOps:Models:WeatherModel:CaptureSampleRate"] = "1",
                ["MLOps:Models:WeatherModel:CaptureMemoryLimit"] = "100", // less than any weather row takes
            }, s =>
            {
                s.AddMLOpsModel<WeatherModel>();
                s.AddHealthChecks().AddMLOpsModelCheck<WeatherModel>();
            });
            var model = provider.GetRequiredService<WeatherModel>();

            for (var n = 0; n < 3; n++)
            {
                model.Predict(new WeatherModel.Input { TempMax = 10 + n, TempMin = 2 });
            }
            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            Assert.Equal(3L, report.Entries["mlops-WeatherModel"].Data["capture.dropped"]);
            Assert.Equal((3L, 0L), (model.Capture!.Sampled, model.Capture.Written));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void A_capture_interval_configuration_cannot_read_is_a_clear_error()
    {
        using var provider = Services(new()
        {
            ["MLOps:Models:WeatherModel:CaptureDirectory"] = "captured",
            ["MLOps:Models:WeatherModel:CaptureSampleRate"] = "0.01",
            ["MLOps:Models:WeatherModel:CaptureFileInterval"] = "soon",
        }, s => s.AddMLOpsModel<WeatherModel>());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<WeatherModel>());
        Assert.Contains("MLOps:Models:WeatherModel: 'soon' is not a capture file interval", error.Message);
    }

    [Fact]
    public void The_meter_provider_extension_adds_the_MLOps_Runtime_meter()
    {
        var builder = new RecordingMeterProviderBuilder();

        builder.AddMLOpsInstrumentation();

        Assert.Equal([DriftMonitor.MeterName], builder.Meters);
    }

    [Theory]
    [InlineData("LogLoss")]
    [InlineData("MeanAbsoluteError")]
    [InlineData("RootMeanSquaredError")]
    [InlineData("MicroAccuracy")]
    [InlineData("AreaUnderRocCurve")]
    [InlineData("RSquared")]
    public void Live_metric_directions_agree_with_the_builds_metric_catalog(string metric)
    {
        var task = new[] { MLOps.Build.Manifest.ModelTask.Binary, MLOps.Build.Manifest.ModelTask.Multiclass, MLOps.Build.Manifest.ModelTask.Regression }
            .First(t => MLOps.Build.Manifest.MetricCatalog.IsKnown(t, metric));
        Assert.Equal(!MLOps.Build.Manifest.MetricCatalog.HigherIsBetter(task, metric), LiveMetricDirections.LowerIsBetter(metric));
    }

    private sealed class RecordingMeterProviderBuilder : MeterProviderBuilder
    {
        public List<string> Meters { get; } = [];

        public override MeterProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory) => this;

        public override MeterProviderBuilder AddMeter(params string[] names)
        {
            Meters.AddRange(names);
            return this;
        }
    }

    /// <summary>Keeps what is logged.</summary>
    internal sealed class LogSink : ILoggerProvider
    {
        public List<(int EventId, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogSink sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (sink.Entries)
                {
                    sink.Entries.Add((eventId.Id, formatter(state, exception)));
                }
            }
        }
    }
}

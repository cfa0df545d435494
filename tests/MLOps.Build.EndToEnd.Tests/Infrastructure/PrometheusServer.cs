using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Prometheus from Debian's package (.ci/run installs it when missing) on a loopback port, scraping one target every
/// second; queried through its HTTP API as a dashboard would.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public PrometheusServer(string folder, string target)
    {
        Port = MLOps.Build.Testing.LoopbackPorts.Free();
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: service
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target}']
            """);
        var start = new ProcessStartInfo(File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : "prometheus")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{Port}" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        var ready = Stopwatch.StartNew();
        while (ready.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (_http.GetAsync("-/ready").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(200);
        }
        throw new InvalidOperationException("prometheus did not become ready in 30 s");
    }

    public int Port { get; }

    /// <summary>The value of an instant query with one series; null when it has none (yet).</summary>
    public async Task<double?> Value(string query)
    {
        var response = await _http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString(query));
        var result = response.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>How many series an instant query returns.</summary>
    public async Task<int> Series(string query)
    {
        var response = await _http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString(query));
        return response.GetProperty("data").GetProperty("result").GetArrayLength();
    }

    /// <summary>Queries until <paramref name="holds"/> is true of the value (Prometheus scrapes every second), or 20 s.</summary>
    public async Task<double?> WaitFor(string query, Func<double, bool> holds)
    {
        double? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            last = await Value(query);
            if (last is { } v && holds(v))
            {
                return last;
            }
            await Task.Delay(500);
        }
        return last;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _http.Dispose();
    }
}

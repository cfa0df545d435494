using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;
using DriftMath = MLOps.Build.Trainer.Drift.DriftMath;

namespace MLOps.Runtime.Tests;

/// <summary>
/// Drift over recent traffic: the monitor's windows against a brute-force recount of the same events, a shift that a
/// month of normal traffic hides from the all-time figure, and the shares of missing, unseen and out-of-range values.
/// </summary>
[Collection(MeterListeners.Name)]
public sealed class DriftWindowTests
{

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static WeatherModel Load(ManualClock clock, params DriftWindow[] windows) =>
        WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true, DriftWindows = windows, TimeProvider = clock });

    [Fact]
    public void A_window_holds_exactly_the_values_of_its_periods_as_a_recount_finds_them()
    {
        var clock = new ManualClock(Start);
        var window = new DriftWindow(TimeSpan.FromMinutes(10), buckets: 10);
        using var model = Load(clock, window);
        var reference = DriftMonitorTests.Reference<WeatherModel>("temp_max");
        var random = new Random(3);
        var events = new List<(DateTimeOffset When, float TempMax)>();
        for (var step = 0; step < 600; step++)
        {
            clock.Now += TimeSpan.FromSeconds(random.Next(0, 40));
            var value = random.Next(10) == 0 ? float.NaN : (float)(random.NextDouble() * 50 - 10);
            model.Predict(new WeatherModel.Input { Precipitation = 1, TempMax = value, TempMin = 5, Wind = 3 });
            events.Add((clock.Now, value));
            if (step % 25 != 0)
            {
                continue;
            }

            // The recount: events of the periods (one minute each) from nine periods ago to now.
            var now = clock.Now.UtcTicks / TimeSpan.FromMinutes(1).Ticks;
            var inside = events.Where(e => e.When.UtcTicks / TimeSpan.FromMinutes(1).Ticks > now - 10).Select(e => e.TempMax).ToArray();
            var present = inside.Where(v => !float.IsNaN(v)).ToArray();
            var counts = new long[reference.BinCount];
            foreach (var v in present)
            {
                counts[reference.BinOf(v)]++;
            }
            var drift = model.DriftMonitor!.Snapshot("10m").Single(d => d.Feature == "temp_max");
            Assert.Equal(inside.Length, drift.Rows);
            Assert.Equal(inside.Length - present.Length, drift.Missing);
            Assert.Equal(DriftMath.PopulationStabilityIndex([.. reference.TrainingCounts], counts), drift.Psi, 12);
            var (low, high) = (reference.Edges![0], reference.Edges[^1]);
            Assert.Equal((double)present.Count(v => v < low || v > high) / present.Length, drift.OutOfRangeShare, 12);
        }
        Assert.Equal(0, model.DriftMonitor!.Dropped);
        Assert.Equal(600, model.DriftMonitor.Snapshot(DriftWindow.AllTime).Single(d => d.Feature == "temp_max").Rows);
    }

    [Fact]
    public void A_shift_after_a_month_of_normal_traffic_shows_in_the_window_while_the_all_time_figure_lags()
    {
        var clock = new ManualClock(Start);
        using var model = Load(clock, new DriftWindow(TimeSpan.FromMinutes(15)));
        var reference = DriftMonitorTests.Reference<WeatherModel>("temp_max");
        // A month of traffic shaped like the training data, one row a minute: a few rows of every bin per day.
        var normal = Enumerable.Range(0, reference.BinCount).SelectMany(b => Enumerable.Repeat((float)((reference.Edges![b] + reference.Edges[b + 1]) / 2), (int)reference.TrainingCounts[b])).ToArray();
        for (var minute = 0; minute < 30 * 24 * 60; minute++)
        {
            clock.Now += TimeSpan.FromMinutes(1);
            model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = normal[minute % normal.Length], TempMin = 5, Wind = 3 });
        }
        // Then a heat wave: 15 minutes, 20 rows a minute, every one hotter than anything in training.
        for (var minute = 0; minute < 15; minute++)
        {
            clock.Now += TimeSpan.FromMinutes(1);
            for (var i = 0; i < 20; i++)
            {
                model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = 40 + i % 5, TempMin = 15, Wind = 3 });
            }
        }

        var monitor = model.DriftMonitor!;
        var recent = monitor.Snapshot("15m").Single(d => d.Feature == "temp_max");
        var allTime = monitor.Snapshot(DriftWindow.AllTime).Single(d => d.Feature == "temp_max");
        Assert.True(recent.Psi > 1, $"window PSI {recent.Psi}");
        Assert.True(allTime.Psi < 0.1, $"all-time PSI {allTime.Psi}");
        Assert.True(recent.OutOfRangeShare > 0.9, $"out of range {recent.OutOfRangeShare}");
        Assert.True(allTime.OutOfRangeShare < 0.01);
    }

    [Fact]
    public void Unseen_categories_and_missing_values_have_their_own_shares()
    {
        var clock = new ManualClock(Start);
        using var model = ChurnModel.Load(new ModelSessionOptions { MonitorDrift = true, TimeProvider = clock });
        for (var i = 0; i < 100; i++)
        {
            model.Predict(new ChurnModel.Input { CustomerAge = 40, MonthlySpend = i % 4 == 0 ? float.NaN : 90, Plan = i % 5 == 0 ? null : i % 2 == 0 ? "enterprise" : "basic" });
        }

        var drift = model.DriftMonitor!.Snapshot("15m").ToDictionary(d => d.Feature);
        Assert.Equal(0.2, drift["plan"].MissingShare, 9);
        Assert.Equal(0.5, drift["plan"].UnseenShare, 9); // "enterprise" in 40 of the 80 present rows
        Assert.True(double.IsNaN(drift["plan"].OutOfRangeShare));
        Assert.Equal(0.25, drift["Monthly Spend ($)"].MissingShare, 9);
        Assert.True(double.IsNaN(drift["Monthly Spend ($)"].UnseenShare));
    }

    [Fact]
    public void Asking_for_a_window_the_monitor_does_not_have_names_the_ones_it_has()
    {
        using var model = Load(new ManualClock(Start), new DriftWindow(TimeSpan.FromHours(1)), new DriftWindow(TimeSpan.FromDays(1)));

        var error = Assert.Throws<ArgumentException>(() => model.DriftMonitor!.Snapshot("15m"));
        Assert.Contains("all, 1h, 1d", error.Message);
    }

    [Theory]
    [InlineData(0.5, 12)]
    [InlineData(60, 1)]
    [InlineData(60, 121)]
    public void A_window_shorter_than_a_second_or_with_too_few_or_many_periods_is_refused(double seconds, int buckets)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DriftWindow(TimeSpan.FromSeconds(seconds), buckets));
    }

    [Fact]
    public void Many_threads_lose_no_count_in_the_window_or_in_the_total()
    {
        var clock = new ManualClock(Start);
        using var model = Load(clock, new DriftWindow(TimeSpan.FromMinutes(5)));
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var i = 0; i < 5000; i++)
            {
                model.Predict(new WeatherModel.Input { Precipitation = i % 5, TempMax = worker + i % 20, TempMin = 3, Wind = 2 });
            }
        });

        var drift = model.DriftMonitor!.Snapshot().Where(d => d.Feature == "temp_max").ToArray();
        Assert.All(drift, d => Assert.Equal(40_000, d.Rows));
    }
}

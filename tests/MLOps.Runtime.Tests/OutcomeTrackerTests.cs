using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// Ground truth: predictions scored with a key wait for their outcome; live metrics from the outcomes against a
/// brute-force recomputation, bounded waiting, and every bad input.
/// </summary>
[Collection(MeterListeners.Name)]
public sealed class OutcomeTrackerTests
{
    private static readonly ModelSessionOptions Tracked = new() { TrackOutcomes = true };

    private static WeatherModel.Input Weather(int i) => new() { Precipitation = i % 7 == 0 ? 8 : 0, TempMax = 5 + i % 25, TempMin = i % 12, Wind = 1 + i % 6 };

    private static ChurnModel.Input Churn(int i) => new() { CustomerAge = 20 + i % 50, MonthlySpend = 10 + i * 7 % 180, Plan = (i % 3) switch { 0 => "basic", 1 => "premium", _ => "standard" }, AutoRenew = i % 2 == 0 };

    [Fact]
    public void Multiclass_live_metrics_are_what_a_recount_of_the_outcomes_gives()
    {
        using var model = WeatherModel.Load(Tracked);
        var random = new Random(5);
        var records = new List<(string Predicted, float[] Scores, string Actual)>();
        for (var i = 0; i < 300; i++)
        {
            var output = model.Predict(Weather(i), $"day-{i}");
            var actual = random.Next(3) == 0 ? WeatherModel.Classes[random.Next(WeatherModel.Classes.Count)] : output.PredictedLabel;
            Assert.True(model.RecordOutcome($"day-{i}", actual));
            records.Add((output.PredictedLabel, output.Scores, actual));
        }

        var live = model.Outcomes!.LiveMetrics();
        Assert.Equal(300, live["Outcomes"]);
        Assert.Equal(records.Count(r => r.Predicted == r.Actual) / 300.0, live["MicroAccuracy"], 12);
        var macro = records.GroupBy(r => r.Actual).Average(g => g.Count(r => r.Predicted == r.Actual) / (double)g.Count());
        Assert.Equal(macro, live["MacroAccuracy"], 12);
        var logLoss = records.Average(r => -Math.Log(Math.Max(r.Scores[WeatherModel.Classes.ToList().IndexOf(r.Actual)], 1e-15)));
        Assert.Equal(logLoss, live["LogLoss"], 9);
        Assert.Equal(0, model.Outcomes.Pending);
        Assert.Equal(0.80547945205479454, model.Outcomes.TestMetrics["MicroAccuracy"], 12); // the fixture card's
    }

    [Fact]
    public void Binary_live_metrics_are_what_a_recount_gives_and_the_area_under_the_curve_ranks_the_probabilities()
    {
        using var model = ChurnModel.Load(Tracked);
        var records = new List<(bool Predicted, float Probability, bool Actual)>();
        for (var i = 0; i < 400; i++)
        {
            var output = model.Predict(Churn(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var actual = i % 5 == 0 ? !output.PredictedLabel : output.Probability > 0.3;
            model.RecordOutcome(i.ToString(System.Globalization.CultureInfo.InvariantCulture), actual);
            records.Add((output.PredictedLabel, output.Probability, actual));
        }

        var live = model.Outcomes!.LiveMetrics();
        Assert.Equal(records.Count(r => r.Predicted == r.Actual) / 400.0, live["Accuracy"], 12);
        Assert.Equal(records.Average(r => -Math.Log(Math.Max(r.Actual ? r.Probability : 1 - r.Probability, 1e-15), 2)), live["LogLoss"], 5);
        // The exact area (pairs of a true and a false outcome ordered by probability, ties half) against the binned one.
        var positives = records.Where(r => r.Actual).Select(r => r.Probability).ToArray();
        var negatives = records.Where(r => !r.Actual).Select(r => r.Probability).ToArray();
        var exact = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0)) / (positives.Length * (double)negatives.Length);
        Assert.Equal(exact, live["AreaUnderRocCurve"], 2);
    }

    [Fact]
    public void Regression_live_metrics_are_what_a_recount_gives()
    {
        using var model = TenureModel.Load(Tracked);
        var records = new List<(float Predicted, float Actual)>();
        for (var i = 0; i < 200; i++)
        {
            var output = model.Predict(new TenureModel.Input { CustomerAge = 20 + i % 50, MonthlySpend = 10 + i % 180, Plan = "basic", AutoRenew = i % 2 == 0 }, $"k{i}");
            var actual = output.Score + (i % 9) - 4;
            model.RecordOutcome($"k{i}", actual);
            records.Add((output.Score, actual));
        }

        var live = model.Outcomes!.LiveMetrics();
        Assert.Equal(records.Average(r => Math.Abs((double)r.Predicted - r.Actual)), live["MeanAbsoluteError"], 5);
        Assert.Equal(Math.Sqrt(records.Average(r => Math.Pow((double)r.Predicted - r.Actual, 2))), live["RootMeanSquaredError"], 5);
        var mean = records.Average(r => (double)r.Actual);
        var rSquared = 1 - records.Sum(r => Math.Pow((double)r.Predicted - r.Actual, 2)) / records.Sum(r => Math.Pow(r.Actual - mean, 2));
        Assert.Equal(rSquared, live["RSquared"], 5);
    }

    [Fact]
    public void Waiting_predictions_are_bounded_and_the_oldest_are_evicted_and_counted()
    {
        using var model = WeatherModel.Load(new ModelSessionOptions { TrackOutcomes = true, MaxPendingOutcomes = 100 });
        for (var i = 0; i < 1000; i++)
        {
            model.Predict(Weather(i), $"k{i}");
        }

        var outcomes = model.Outcomes!;
        var (pending, evicted) = (outcomes.Pending, outcomes.Evicted);
        Assert.InRange(pending, 64, 128);            // 100 rounded up to 64 shards of 2
        Assert.Equal(1000, pending + evicted);
        Assert.True(model.RecordOutcome("k999", "rain"));   // the latest always waits
        Assert.False(model.RecordOutcome("k999", "rain"));  // reported already
        Assert.False(model.RecordOutcome("never", "rain"));
        var recorded = Enumerable.Range(0, 999).Count(i => model.RecordOutcome($"k{i}", "sun"));
        Assert.Equal(pending - 1, recorded);                // every evicted key is unknown now
        Assert.Equal(2 + evicted, outcomes.UnknownOutcomes);
        Assert.Equal(pending, outcomes.LiveMetrics()["Outcomes"]);
        Assert.Equal(0, outcomes.Pending);
    }

    [Fact]
    public void Memory_stays_bounded_when_every_outcome_but_the_oldest_arrives()
    {
        using var model = WeatherModel.Load(new ModelSessionOptions { TrackOutcomes = true, MaxPendingOutcomes = 64 });
        model.Predict(Weather(0), "stuck");
        for (var i = 0; i < 50_000; i++)
        {
            var key = "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            model.RecordOutcome(key, model.Predict(Weather(i), key).PredictedLabel);
        }

        // The waiting store is internal: its FIFOs' length is what the bound is about.
        var store = typeof(OutcomeTracker).GetField("_waiting", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(model.Outcomes)!;
        long Read(string property) => (long)store.GetType().GetProperty(property)!.GetValue(store)!;
        Assert.InRange(Read("Queued"), 0, 2 * Read("Capacity"));
        Assert.InRange(model.Outcomes!.Pending, 0, 1);
        Assert.Equal(50_000, model.Outcomes.LiveMetrics()["Outcomes"]);
    }

    [Fact]
    public void A_long_key_waits_as_a_digest_so_hostile_keys_hold_no_more_memory_than_short_ones()
    {
        using var model = WeatherModel.Load(new ModelSessionOptions { TrackOutcomes = true, MaxPendingOutcomes = 1000 });
        static string Key(int i, char last) => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + new string('k', 100_000) + last;
        for (var i = 0; i < 100; i++)
        {
            model.Predict(Weather(i), Key(i, 'a'));
        }
        var longest = new string('x', 64);
        model.Predict(Weather(0), longest);

        // The waiting store is internal: the characters its keys hold, in the dictionaries and the FIFOs.
        var store = typeof(OutcomeTracker).GetField("_waiting", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(model.Outcomes)!;
        var shards = (Array)store.GetType().GetField("_shards", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store)!;
        var held = shards.Cast<object>().Sum(shard => ((System.Collections.IDictionary)shard.GetType().GetField("Entries")!.GetValue(shard)!).Keys.Cast<string>().Sum(k => (long)k.Length));
        Assert.Equal(100 * 65 + 64, held);
        Assert.False(model.RecordOutcome(Key(5, 'b'), "rain"));   // differs from a waiting key in its last character only
        Assert.True(model.RecordOutcome(Key(5, 'a'), "rain"));
        Assert.True(model.RecordOutcome(longest, "rain"));
        Assert.Equal(99, model.Outcomes!.Pending);
    }

    [Fact]
    public void Outcomes_the_model_cannot_have_predicted_are_refused_and_the_prediction_keeps_waiting()
    {
        using var weather = WeatherModel.Load(Tracked);
        weather.Predict(Weather(1), "a");
        var unknownClass = Assert.Throws<ArgumentException>(() => weather.RecordOutcome("a", "hail"));
        Assert.Contains("'hail' is not a class of WeatherModel (drizzle, fog, rain, snow, sun)", unknownClass.Message);
        // An outcome from outside is quoted on one line and cut: a megabyte outcome must not make a megabyte log line.
        var hostile = Assert.Throws<ArgumentException>(() => weather.RecordOutcome("a", "hail\nERROR forged line" + new string('x', 1_000_000)));
        Assert.StartsWith("'hail\\u000AERROR forged line" + new string('x', 58) + "… (cut: 1,000,022 characters)' is not a class", hostile.Message);
        Assert.True(hostile.Message.Length < 300, $"{hostile.Message.Length} characters");
        Assert.StartsWith("'hail\\u2028line'", Assert.Throws<ArgumentException>(() => weather.RecordOutcome("a", "hail\u2028line")).Message);
        Assert.Throws<ArgumentException>(() => weather.Outcomes!.RecordOutcome("a", true));
        Assert.Throws<ArgumentNullException>(() => weather.Predict(Weather(1), null!));
        Assert.True(weather.RecordOutcome("a", "sun"));

        using var tenure = TenureModel.Load(Tracked);
        tenure.Predict(new TenureModel.Input { CustomerAge = 30, MonthlySpend = 50, Plan = "basic" }, "t");
        Assert.Throws<ArgumentException>(() => tenure.RecordOutcome("t", float.NaN));
        Assert.Throws<ArgumentException>(() => tenure.RecordOutcome("t", float.PositiveInfinity));
        Assert.Equal(1, tenure.Outcomes!.Pending);
        Assert.Equal(0, tenure.Outcomes.LiveMetrics()["Outcomes"]);
    }

    [Fact]
    public void Scoring_with_a_key_without_tracking_says_how_to_turn_it_on()
    {
        using var model = WeatherModel.Load();

        var error = Assert.Throws<InvalidOperationException>(() => model.Predict(Weather(1), "k"));
        Assert.Contains("TrackOutcomes = true", error.Message);
        Assert.Null(model.Outcomes);
    }

    [Fact]
    public void A_window_counts_only_recent_outcomes()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var model = WeatherModel.Load(new ModelSessionOptions { TrackOutcomes = true, TimeProvider = clock, DriftWindows = [new DriftWindow(TimeSpan.FromMinutes(10))] });
        for (var i = 0; i < 100; i++)
        {
            var output = model.Predict(Weather(i), $"old{i}");
            model.RecordOutcome($"old{i}", output.PredictedLabel);  // an hour ago: all correct
        }
        clock.Now += TimeSpan.FromHours(1);
        for (var i = 0; i < 50; i++)
        {
            var output = model.Predict(Weather(i), $"new{i}");
            model.RecordOutcome($"new{i}", WeatherModel.Classes.First(c => c != output.PredictedLabel));  // now: all wrong
        }

        Assert.Equal(0, model.Outcomes!.LiveMetrics("10m")["MicroAccuracy"]);
        Assert.Equal(50, model.Outcomes.LiveMetrics("10m")["Outcomes"]);
        Assert.Equal(100 / 150.0, model.Outcomes.LiveMetrics()["MicroAccuracy"], 12);
    }

    [Fact]
    public void Many_threads_tracking_and_reporting_lose_no_outcome()
    {
        using var model = WeatherModel.Load(Tracked);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var key = $"{worker}-{i}";
                var output = model.Predict(Weather(i), key);
                model.RecordOutcome(key, output.PredictedLabel);
            }
        });

        Assert.Equal(16_000, model.Outcomes!.LiveMetrics()["Outcomes"]);
        Assert.Equal(1, model.Outcomes.LiveMetrics()["MicroAccuracy"]);
        Assert.Equal(0, model.Outcomes.Pending);
    }
}

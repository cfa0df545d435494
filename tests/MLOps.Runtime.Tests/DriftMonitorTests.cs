using System.Diagnostics.Metrics;
using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>The runtime drift monitor: bins, PSI, and what a MeterListener (dotnet-counters, OpenTelemetry) sees.</summary>
[Collection(MeterListeners.Name)]
public sealed class DriftMonitorTests
{
    private static readonly ModelSessionOptions Monitored = new() { MonitorDrift = true };

    /// <summary>Rows whose values fall into the training bins exactly as often as the training data did.</summary>
    private static IEnumerable<WeatherModel.Input> TrainingShaped(float tempMaxShift = 0)
    {
        var reference = WeatherModelReference("temp_max");
        for (var bin = 0; bin < reference.TrainingCounts.Count; bin++)
        {
            var middle = (float)((reference.Edges![bin] + reference.Edges[bin + 1]) / 2);
            for (var n = 0; n < reference.TrainingCounts[bin]; n++)
            {
                yield return new WeatherModel.Input { Precipitation = float.NaN, TempMax = middle + tempMaxShift, TempMin = 5, Wind = 3 };
            }
        }
    }

    private static DriftReference WeatherModelReference(string feature) => Reference<WeatherModel>(feature);

    /// <summary>The generated schema is private; the reference is the one the monitor was built from.</summary>
    internal static DriftReference Reference<TModel>(string feature)
    {
        var schema = (ModelSchema)typeof(TModel).GetField("Schema", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
        return schema.Inputs.Single(i => i.Name == feature).DriftReference!;
    }

    [Fact]
    public void Monitoring_is_off_unless_asked_for()
    {
        using var model = WeatherModel.Load();
        Assert.Null(model.DriftMonitor);
    }

    [Fact]
    public void Inputs_distributed_like_the_training_data_have_zero_psi_and_shifted_ones_drift()
    {
        using var model = WeatherModel.Load(Monitored);
        foreach (var row in TrainingShaped())
        {
            model.Predict(row);
        }
        var psi = model.DriftMonitor!.PopulationStabilityIndex();
        Assert.Equal(0, psi["temp_max"], 9);
        Assert.True(double.IsNaN(psi["precipitation"])); // every value missing: nothing to compare yet

        using var shifted = WeatherModel.Load(Monitored);
        var rows = TrainingShaped(tempMaxShift: 12).ToArray();
        shifted.PredictBatch(rows, new WeatherModel.Output[rows.Length]);
        Assert.True(shifted.DriftMonitor!.PopulationStabilityIndex()["temp_max"] > 1);
    }

    [Fact]
    public void A_boolean_features_psi_moves_when_the_scored_share_of_true_moves()
    {
        // Before the fix, the card gave a boolean one histogram bin, so its PSI was 0 whatever the app scored.
        var reference = Reference<ChurnModel>("auto renew");
        Assert.Equal([0, 0.5, 1], reference.Edges);
        var (falses, trues) = ((int)reference.TrainingCounts[0], (int)reference.TrainingCounts[1]);
        static ChurnModel.Input Row(bool autoRenew) => new() { CustomerAge = 40, MonthlySpend = 50, Plan = "basic", AutoRenew = autoRenew };

        using var likeTraining = ChurnModel.Load(Monitored);
        foreach (var autoRenew in Enumerable.Repeat(false, falses).Concat(Enumerable.Repeat(true, trues)))
        {
            likeTraining.Predict(Row(autoRenew));
        }
        Assert.Equal(0, likeTraining.DriftMonitor!.PopulationStabilityIndex()["auto renew"], 9);

        using var allTrue = ChurnModel.Load(Monitored);
        var rows = Enumerable.Repeat(true, 200).Select(Row).ToArray();
        allTrue.PredictBatch(rows, new ChurnModel.Output[rows.Length]);
        Assert.True(allTrue.DriftMonitor!.PopulationStabilityIndex()["auto renew"] > 1);
    }

    [Fact]
    public void A_meter_listener_sees_predictions_latency_and_psi_tagged_by_model_and_feature()
    {
        var longs = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var doubles = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DriftMonitor.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => longs.Add((i.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => doubles.Add((i.Name, value, Tags(tags))));
        listener.Start();

        using var model = WeatherModel.Load(Monitored);
        var rows = TrainingShaped(tempMaxShift: 12).Take(100).ToArray();
        foreach (var row in rows.Take(40))
        {
            model.Predict(row);
        }
        model.PredictBatch(rows.AsSpan(40), new WeatherModel.Output[60]);
        listener.RecordObservableInstruments();

        Assert.Equal(100, longs.Where(m => m.Name == "mlops.model.predictions").Sum(m => m.Value));
        Assert.All(longs, m => Assert.Equal("WeatherModel", m.Tags["mlops.model"]));
        Assert.Equal(41, doubles.Count(m => m.Name == "mlops.model.duration"));
        var psi = doubles.Where(m => m.Name == "mlops.model.feature.psi" && (string)m.Tags["mlops.window"]! == "all").ToDictionary(m => (string)m.Tags["mlops.feature"]!, m => m.Value);
        Assert.Equal(["temp_max", "temp_min", "wind"], psi.Keys.Order());
        Assert.True(psi["temp_max"] > 1);
        // The default window (the last 15 minutes) holds the same 100 rows.
        Assert.Equal(psi["temp_max"], doubles.Single(m => m.Name == "mlops.model.feature.psi" && (string)m.Tags["mlops.window"]! == "15m" && (string)m.Tags["mlops.feature"]! == "temp_max").Value);
        Assert.Equal(1.0, doubles.Single(m => m.Name == "mlops.model.feature.missing_ratio" && (string)m.Tags["mlops.window"]! == "all" && (string)m.Tags["mlops.feature"]! == "precipitation").Value);
        Assert.Equal(100, longs.Single(m => m.Name == "mlops.model.feature.observed" && (string)m.Tags["mlops.feature"]! == "wind").Value);
    }

    [Fact]
    public void Categories_unseen_in_training_count_as_drift()
    {
        using var model = ChurnModel.Load(Monitored);
        for (var i = 0; i < 200; i++)
        {
            model.Predict(new ChurnModel.Input { CustomerAge = 40, MonthlySpend = 90, Plan = i % 2 == 0 ? "enterprise" : "basic" });
        }
        var psi = model.DriftMonitor!.PopulationStabilityIndex();
        Assert.True(psi["plan"] > 1, $"PSI {psi["plan"]}");
    }

    [Fact]
    public void Concurrent_scoring_loses_no_count()
    {
        using var model = WeatherModel.Load(Monitored);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var i = 0; i < 250; i++)
            {
                model.Predict(new WeatherModel.Input { Precipitation = i % 5, TempMax = worker + i % 20, TempMin = 3, Wind = 2 });
            }
        });
        using var listener = new MeterListener();
        var observed = new Dictionary<string, long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "mlops.model.feature.observed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => observed[(string)Tags(tags)["mlops.feature"]!] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(2000, observed["temp_max"]);
        Assert.Equal(2000, observed["precipitation"]);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }
        return result;
    }
}

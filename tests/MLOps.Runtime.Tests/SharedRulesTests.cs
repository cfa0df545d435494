using MLOps.Build.Trainer.Drift;
using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// The rules both the build and the app apply (src/Shared), run on both sides on the same data: the build's drift
/// check (MLOps.Build.Trainer) and model card against the runtime drift monitor and model loading (MLOps.Runtime).
/// </summary>
[Collection(MeterListeners.Name)]
public sealed class SharedRulesTests
{
    private static readonly ModelSessionOptions Monitored = new() { MonitorDrift = true };

    [Theory]
    [InlineData("2024-02-29", "date")]
    [InlineData("2023-12-31T23:59:30", "datetime")]
    [InlineData("1987-03-02 10:59:16.80+02:00", "datetime")]
    public void A_date_becomes_the_same_parts_in_the_generated_class_as_in_the_trainer(string cell, string kind)
    {
        var columnKind = kind == "date" ? MLOps.Build.Manifest.ColumnKind.Date : MLOps.Build.Manifest.ColumnKind.DateTime;
        var column = new MLOps.Build.Trainer.Data.FeatureColumn("d", columnKind, null, MLOps.Build.Trainer.Data.CategoryColumn.From([cell]));
        Assert.True(MLOps.Build.Trainer.Data.DateCells.TryParse(cell, null, out var parsed));
        var parts = new float[kind == "date" ? 5 : 7];

        DateFeatures.Write(parsed, parts);

        Assert.Equal(column.DatePartsByCode()[0], parts);
        DateFeatures.Write(null, parts);
        Assert.All(parts, p => Assert.True(float.IsNaN(p)));
    }

    [Fact]
    public void The_drift_monitor_bins_every_value_as_the_builds_drift_check_does()
    {
        var random = new Random(7);
        foreach (var feature in new[] { "temp_max", "temp_min", "precipitation", "wind" })
        {
            var reference = DriftMonitorTests.Reference<WeatherModel>(feature);
            var edges = reference.Edges!;
            // Values on every edge, between edges and far outside the training range.
            var values = edges.SelectMany(e => new[] { e, Math.BitDecrement(e), Math.BitIncrement(e) })
                .Concat(Enumerable.Range(0, 500).Select(_ => edges[0] - 10 + random.NextDouble() * (edges[^1] - edges[0] + 20)))
                .ToArray();
            var runtime = new long[reference.BinCount];
            foreach (var value in values)
            {
                runtime[reference.BinOf(value)]++;
            }
            Assert.Equal(DriftMath.Bin(values, edges.ToArray()), runtime);
        }
    }

    [Fact]
    public void The_drift_monitors_psi_is_the_builds_psi_of_the_same_values()
    {
        var reference = DriftMonitorTests.Reference<WeatherModel>("temp_max");
        var values = Enumerable.Range(0, 300).Select(i => (float)(i % 40 - 5)).ToArray();
        using var model = WeatherModel.Load(Monitored);
        foreach (var value in values)
        {
            model.Predict(new WeatherModel.Input { Precipitation = 0, TempMax = value, TempMin = 5, Wind = 3 });
        }

        var build = DriftMath.PopulationStabilityIndex([.. reference.TrainingCounts], DriftMath.Bin(values.Select(v => (double)v).ToArray(), reference.Edges!.ToArray()));
        Assert.Equal(build, model.DriftMonitor!.PopulationStabilityIndex()["temp_max"], 12);
        Assert.True(build > 0.1);
    }

    [Fact]
    public void The_build_embeds_each_model_under_the_name_the_runtime_loads()
    {
        Assert.Equal(MLOps.Shared.ModelResources.Name("WeatherModel"), EmbeddedModels.ResourceName("WeatherModel"));
        Assert.Equal("MLOps.Models.WeatherModel.onnx", EmbeddedModels.ResourceName("WeatherModel"));
        // The test project embeds the fixtures under the documented name; the runtime lists and reads them back.
        Assert.Contains("WeatherModel", EmbeddedModels.List(typeof(WeatherModel).Assembly));
        Assert.Equal(MLOps.Shared.ModelResources.Name("X.Y"), EmbeddedModels.ResourceName("X.Y"));
        Assert.Equal("X.Y", MLOps.Shared.ModelResources.ModelOf("MLOps.Models.X.Y.onnx"));
        Assert.Null(MLOps.Shared.ModelResources.ModelOf("MLOps.Models..onnx"));
    }

    [Fact]
    public void Every_element_type_a_card_names_is_one_ONNX_Runtime_reports_and_the_runtime_scores()
    {
        foreach (var name in MLOps.Shared.ElementTypes.Supported)
        {
            // The importer's name for what ONNX Runtime reports, the runtime's kind the generator emits, the C# type it declares.
            var onnxRuntime = Enum.GetValues<Microsoft.ML.OnnxRuntime.Tensors.TensorElementType>().Single(t => MLOps.Shared.ElementTypes.FromOnnxName(t.ToString()) == name);
            var kind = Enum.Parse<TensorKind>(MLOps.Shared.ElementTypes.TensorKindName(name)!);
            Assert.Equal(onnxRuntime.ToString(), kind.ToString()); // ModelSession maps one to the other member for member
            Assert.NotNull(MLOps.Shared.ElementTypes.CSharpKeyword(name));
        }
        Assert.Equal(Enum.GetNames<TensorKind>().Order(), MLOps.Shared.ElementTypes.Supported.Select(n => MLOps.Shared.ElementTypes.TensorKindName(n)!).Order());
        Assert.Null(MLOps.Shared.ElementTypes.FromOnnxName("Float16"));
        Assert.Equal("float, double, int32, int64, bool and string", MLOps.Shared.ElementTypes.SupportedList);
    }
}

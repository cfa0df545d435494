using Microsoft.ML.Trainers.LightGbm;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

public sealed class OptionBinderTests
{
    private static (object? Options, IReadOnlyList<MLOpsDiagnostic> Diagnostics) Bind(string optionsJson, ModelTask task = ModelTask.Multiclass, string trainer = "LightGbm")
    {
        var json = "{\n  \"options\": " + optionsJson + "\n}";
        var root = (LocatedObject)LocatedJsonParser.Parse(new FileText("m.json", System.Text.Encoding.UTF8.GetBytes(json))).Root!;
        var options = ((LocatedObject)root.Find("options")!.Value).Properties;
        var bag = new DiagnosticBag();
        var choice = TrainerChoice.FromManifest(new TrainerSpec(trainer, default, options));
        return (OptionBinder.Bind(TrainerRegistry.Find(task, trainer)!, choice.Options, seed: 5, bag), bag.Items);
    }

    [Fact]
    public void Maps_numbers_booleans_and_enums_onto_the_options_class()
    {
        var (options, diagnostics) = Bind("""{ "NumberOfLeaves": 7, "LearningRate": 0.05, "UseSoftmax": true, "EvaluationMetric": "logloss" }""");

        Assert.Empty(diagnostics);
        var o = Assert.IsType<LightGbmMulticlassTrainer.Options>(options);
        Assert.Equal((7, 0.05, true, LightGbmMulticlassTrainer.Options.EvaluateMetricType.LogLoss),
            (o.NumberOfLeaves!.Value, o.LearningRate!.Value, o.UseSoftmax!.Value, o.EvaluationMetric));
    }

    [Fact]
    public void Defaults_make_training_reproducible()
    {
        var o = (LightGbmMulticlassTrainer.Options)Bind("{}").Options!;
        Assert.Equal((1, 5), (o.NumberOfThreads!.Value, o.Seed!.Value));
        Assert.Equal(InMemoryDataView.LabelColumnName, o.LabelColumnName);
    }

    [Fact]
    public void An_unknown_option_is_MLOPS2004_at_its_name_with_a_suggestion()
    {
        var (options, diagnostics) = Bind("""{ "NumberOfLeafs": 7 }""");

        Assert.Null(options);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("MLOPS2004", 2, 16), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("Did you mean 'NumberOfLeaves'?", d.Message);
    }

    [Theory]
    [InlineData("""{ "NumberOfLeaves": 7.5 }""", "must be a whole number (Int32); found number 7.5")]
    [InlineData("""{ "NumberOfLeaves": "many" }""", "must be a whole number (Int32); found string \"many\"")]
    [InlineData("""{ "UseSoftmax": 1 }""", "must be true or false; found number 1")]
    [InlineData("""{ "NumberOfLeaves": 1e12 }""", "within Int32's range")]
    public void An_ill_typed_value_is_MLOPS2005_at_the_value(string json, string message)
    {
        var (options, diagnostics) = Bind(json);

        Assert.Null(options);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MLOPS2005", d.Id);
        Assert.Contains(message, d.Message);
    }

    [Fact]
    public void Column_names_are_not_options_a_manifest_can_set()
    {
        Assert.Equal("MLOPS2004", Assert.Single(Bind("""{ "LabelColumnName": "x" }""").Diagnostics).Id);
    }

    [Fact]
    public void Every_catalogued_trainer_has_an_ML_NET_implementation_and_nothing_else_does()
    {
        var catalogued = Enum.GetValues<ModelTask>().SelectMany(t => TrainerCatalog.For(t).Select(n => (t, n))).Order().ToArray();
        var implemented = TrainerRegistry.All.Select(e => (e.Task, e.Name)).Order().ToArray();
        Assert.Equal(catalogued, implemented);
    }
}

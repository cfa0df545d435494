extern alias Core;
using MLOps.Build.Generators.Drift;
using MLOps.Build.Generators.ModelClasses;
using ArtifactJson = Core::MLOps.Build.Artifacts.ArtifactJson;
using Artifacts = Core::MLOps.Build.Artifacts;

namespace MLOps.Build.Generators.Tests;

/// <summary>
/// One owner per artifact format: every fixture model card (real trainer output) goes through the format's type in
/// MLOps.Build.Core (which the trainer writes and the tasks read) and through the generator's parser (which reads
/// the same key names from src/Shared/ArtifactKeys.cs), and both must see the same model.
/// </summary>
public sealed class ArtifactContractTests
{
    public static TheoryData<string> Cards => new() { "WeatherModel", "ChurnModel", "TenureModel", "ResNet18", "TicketsModel", "MiniLM", "SubscriptionsModel", "GridModel" };

    [Theory]
    [MemberData(nameof(Cards))]
    public void The_writers_type_round_trips_every_card_byte_for_byte(string model)
    {
        var bytes = File.ReadAllBytes(GeneratorHarness.Fixture(model));

        var card = ArtifactJson.Deserialize(bytes, ArtifactJson.ModelCard);

        // Fixture cards are of the oldest readable version: they prove that old cards still load.
        Assert.InRange(card.SchemaVersion, Core::MLOps.Shared.ModelCardKeys.OldestSchemaVersion, Artifacts.ModelCard.CurrentSchemaVersion);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(ArtifactJson.Serialize(card, ArtifactJson.ModelCard)));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void The_generator_reads_the_model_the_typed_card_describes(string model)
    {
        var path = GeneratorHarness.Fixture(model);
        var text = File.ReadAllText(path);
        var card = ArtifactJson.Deserialize(File.ReadAllBytes(path), ArtifactJson.ModelCard);

        var parsed = ModelCardParser.Parse(new ModelFile(ModelFileKind.ModelCard, path, model, model, "Contoso", "public", text));

        Assert.Null(parsed.Diagnostic);
        var spec = parsed.Model!;
        Assert.Equal((ModelKinds.Parse(card.Task), card.Version, card.Label, card.Fingerprint), (spec.Task, spec.Version, spec.Label, spec.Fingerprint));
        Assert.Equal(card.Trainer?.Name ?? "external ONNX model", spec.Trainer);
        Assert.Equal(card.Classes, spec.Classes);
        Assert.Equal(card.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, m.Value)), spec.Metrics.Select(m => (m.Name, m.Value)));
        Assert.Equal(card.Inputs.Select(i => (i.Column, i.Property, i.OnnxName)), spec.Inputs.Select(i => (i.Column, i.Property, i.OnnxName)));
        // Per row: the dimensions after the row axis, -1 where dynamic (a transformer's sequence), one value for a scalar.
        Assert.Equal(card.Inputs.Select(i => i.Shape.Skip(1).Select(d => d < 0 ? -1 : d).DefaultIfEmpty(1)), spec.Inputs.Select(i => i.RowDimensions.AsEnumerable()));
        foreach (var (typed, read) in card.Inputs.Zip(spec.Inputs))
        {
            // A text column's statistics (lengths) describe no value a caller passes: the generator leaves them out.
            var statistics = typed.Kind == "text" ? null : typed.Statistics;
            Assert.Equal(statistics is null, read.Statistics is null);
            if (statistics is null)
            {
                continue;
            }
            Assert.Equal((statistics.Min, statistics.Max), (read.Statistics!.Min, read.Statistics.Max));
            Assert.Equal(statistics.Histogram?.Edges ?? [], read.Statistics.Edges);
            Assert.Equal(statistics.Histogram?.Counts ?? [], read.Statistics.Counts);
            Assert.Equal(statistics.Categories?.Select(c => (c.Value, c.Count)) ?? [], read.Statistics.Categories.Zip(read.Statistics.CategoryCounts));
        }
        Assert.Equal(card.Outputs.Select(o => (o.OnnxName, o.Property)), spec.Outputs.Select(o => (o.OnnxName, o.Property)));
    }

    [Fact]
    public void The_drift_analyzer_reads_the_report_the_trainers_type_writes()
    {
        var location = new Artifacts.ReportLocation("/repo/Models/Weather.mlmodel.json", 14, 3);
        var report = new Artifacts.DriftReport(Artifacts.DriftReport.CurrentSchemaVersion, "WeatherModel", "inputs", "model",
            new Artifacts.DriftDataCard("data/train.csv", "abc", 1096), new Artifacts.DriftDataCard("data/2015.csv", null, 365),
            "auto", 0.5, 2, 1, true, location,
        [
            new("temp_max", "float", "wasserstein", "normalized Wasserstein distance", 0.18, 0.1, true, location with { Line = 20 },
                new Artifacts.DriftStatisticsCard(0.069, 0.12, 0.04, 0.18, null, null, null, null), 0, 0.02, [], 0, 1096, 365),
            new("station", "category", "jensenshannon", "Jensen–Shannon distance", null, 0.1, false, location,
                new Artifacts.DriftStatisticsCard(null, null, null, null, 1.5, 0.2, 0.05, 0.03), 0.01, 0.01, ["Tacoma"], 7, 1096, 365),
        ]);

        var (spec, problem) = DriftReportParser.Parse(System.Text.Encoding.UTF8.GetString(ArtifactJson.Serialize(report, ArtifactJson.DriftReport)));

        Assert.Null(problem);
        Assert.Equal((report.Model, report.Current.Path, report.Share, report.FeaturesChecked, report.FeaturesDrifted, report.DatasetDrift),
            (spec!.Model, spec.CurrentPath, spec.Share, spec.FeaturesChecked, spec.FeaturesDrifted, spec.DatasetDrift));
        Assert.Equal((location.Path, location.Line, location.Column), (spec.Location.Path, spec.Location.Line, spec.Location.Column));
        Assert.Equal(
            report.Features.Select(f => (f.Feature, f.Statistic, f.Value, f.Threshold, f.Drifted, f.Statistics.Psi, f.Method, f.Location.Line, f.ReferenceMissingRate, f.CurrentMissingRate, string.Join(",", f.UnseenCategories), f.UnseenRows)),
            spec.Features.Select(f => (f.Feature, f.Statistic, f.Value, f.Threshold, f.Drifted, f.Psi, f.Method, f.Location.Line, f.ReferenceMissingRate, f.CurrentMissingRate, string.Join(",", f.UnseenCategories), f.UnseenRows)));
    }

    [Theory]
    [InlineData("WeatherModel", true)]
    [InlineData("_private2", true)]
    [InlineData("Größe", true)]
    [InlineData("class", false)]
    [InlineData("2fast", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void Core_and_the_generator_agree_on_identifiers(string name, bool valid)
    {
        Assert.Equal(valid, Core::MLOps.Shared.CSharpIdentifiers.IsValid(name));
        // The generator rejects a card whose property is not an identifier (MLOPS5004); Core rejects such a model name.
        var card = File.ReadAllText(GeneratorHarness.Fixture("TenureModel")).Replace("\"property\": \"CustomerAge\"", $"\"property\": \"{name}\"");
        var parsed = ModelCardParser.Parse(new ModelFile(ModelFileKind.ModelCard, "card.json", "TenureModel", "TenureModel", "", "public", card));
        Assert.Equal(valid, parsed.Model is not null);
    }

    [Fact]
    public void The_generator_s_element_kinds_are_the_runtime_s_tensor_kinds()
    {
        // The emitter writes TensorKind.{kind}: the generator cannot reference MLOps.Runtime, so its enum mirrors it.
        Assert.Equal(Enum.GetNames<MLOps.Runtime.TensorKind>(), Enum.GetNames<ElementKind>());
    }

    [Theory]
    [InlineData("SubscriptionsModel", "Scores")]
    [InlineData("ChurnModel", "Score")]
    public void A_card_without_output_property_names_gets_the_ones_the_trainer_writes(string model, string property)
    {
        // Older cards lack outputs[].property: the generator derives it by the trainer's own rule (CSharpIdentifiers.OutputProperty).
        var card = File.ReadAllText(GeneratorHarness.Fixture(model));
        Assert.Contains($"\"property\": \"{property}\"", card);
        var parsed = ModelCardParser.Parse(new ModelFile(ModelFileKind.ModelCard, "card.json", model, model, "", "public", card.Replace($"\"property\": \"{property}\",", "")));
        Assert.Contains(parsed.Model!.Outputs, o => o.Property == property);
    }

    [Fact]
    public void A_model_chosen_by_a_sweep_says_so_in_the_generated_class_documentation()
    {
        var path = GeneratorHarness.Fixture("WeatherModel");
        var card = ArtifactJson.Deserialize(File.ReadAllBytes(path), ArtifactJson.ModelCard) with
        {
            Sweep = new Artifacts.SweepSummaryCard("halving", "MacroAccuracy", 3, 24, 40, 16, 1,
                new Artifacts.SweepBestCard("FastTree", new Dictionary<string, object?> { ["NumberOfLeaves"] = 31L, ["LearningRate"] = 0.0713265, ["UnbalancedSets"] = false }, 0.50874, 0.01234)),
        };
        var text = System.Text.Encoding.UTF8.GetString(ArtifactJson.Serialize(card, ArtifactJson.ModelCard));

        var result = GeneratorHarness.Driver([new GeneratorHarness.ModelCardFile(path, text, "ModelCard", "WeatherModel")])
            .RunGenerators(GeneratorHarness.Compilation()).GetRunResult();

        var source = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains(
            "/// Chosen by a halving sweep of 24 trials: FastTree (LearningRate 0.0713265, NumberOfLeaves 31, UnbalancedSets false), 3-fold MacroAccuracy 0.5087 ± 0.0123.",
            source);
    }
}

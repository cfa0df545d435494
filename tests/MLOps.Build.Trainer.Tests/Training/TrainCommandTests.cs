using MLOps.Build.IO;
using MLOps.Build.Artifacts;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Tests.Infrastructure;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

/// <summary>The whole trainer in process, on synthetic data with real-world quirks, for every catalogued trainer.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainCommandTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(80, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    private (bool Ok, DiagnosticBag Diagnostics, string Output) Train(string manifest, string outputName = "out")
    {
        var path = _folder.Write("Penguins.mlmodel.json", manifest);
        var output = _folder.PathOf(outputName);
        var diagnostics = new DiagnosticBag();
        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fingerprint-1"));
        return (ok, diagnostics, output);
    }

    public static TheoryData<string, string> AllTrainers()
    {
        var data = new TheoryData<string, string>();
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            foreach (var name in TrainerCatalog.For(task))
            {
                data.Add(task.ToName(), name);
            }
        }
        return data;
    }

    private static string LabelFor(string task) => task switch
    {
        "binary" => "heavy",
        "multiclass" => "species",
        _ => "bill depth",
    };

    [Fact]
    public void Training_data_named_by_a_glob_trains_the_same_model_as_the_one_file_and_the_card_pins_the_set()
    {
        var lines = File.ReadAllLines(_folder.PathOf("train.csv"));
        _folder.Write("parts/2026-01/train.csv", string.Join("\n", lines.Take(101)) + "\n");
        _folder.Write("parts/2026-02/train.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(101))) + "\n");
        var whole = SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy");
        var (ok, diagnostics, output) = Train(whole);
        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var expected = File.ReadAllBytes(Path.Combine(output, "model.onnx"));

        var (setOk, setDiagnostics, setOutput) = Train(whole.Replace("\"train\": \"train.csv\"", "\"train\": \"parts/**/train.csv\""), "set");

        Assert.True(setOk, string.Join("\n", setDiagnostics.Items));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(setOutput, "model.onnx")));
        var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(setOutput, ArtifactNames.ModelCard))).RootElement.GetProperty("data").GetProperty("train");
        Assert.Equal(240, card.GetProperty("rows").GetInt64());
        var set = DataFileSet.Of(new DataFileReference("data.train", "parts/**/train.csv", default, null, null, null!), _folder.Root);
        Assert.Equal(["2026-01/train.csv", "2026-02/train.csv"], set.Files.Select(set.NameOf));
        Assert.Equal(set.Hash(Hashing.FileHash.Sha256), card.GetProperty("sha256").GetString());
    }

    [Theory]
    [MemberData(nameof(AllTrainers))]
    public void Every_trainer_trains_exports_matches_ONNX_Runtime_and_is_reproducible(string task, string trainer)
    {
        var manifest = SyntheticData.Manifest(task, LabelFor(task), trainer);
        var (ok, diagnostics, output) = Train(manifest);
        var again = Train(manifest, "again");

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        Assert.False(diagnostics.HasErrors);
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        var parity = card.RootElement.GetProperty("parity");
        Assert.True(parity.GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
        Assert.Equal(1.0, parity.GetProperty("labelAgreement").GetDouble());
        // Every catalogued trainer's export is compiled, the compiled scores matched ONNX Runtime's on the test, edge
        // and synthetic rows, and the same rows scored in blocks (PredictBatch) gave the same bits as one at a time
        // (the build fails with MLOPS2034 otherwise).
        var scoring = card.RootElement.GetProperty("scoring");
        Assert.True(scoring.GetProperty("engine").GetString() == "compiled", scoring.ToString());
        Assert.True(scoring.GetProperty("maxAbsoluteDifference").GetDouble() <= 1e-4);
        Assert.Equal("fingerprint-1\n", File.ReadAllText(Path.Combine(output, "fingerprint.txt")));
        Assert.True(again.Ok);
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "model.onnx")), File.ReadAllBytes(Path.Combine(again.Output, "model.onnx")));
        Assert.Equal(File.ReadAllText(Path.Combine(output, "modelcard.json")), File.ReadAllText(Path.Combine(again.Output, "modelcard.json")));
        if (task == "binary")
        {
            var evaluation = card.RootElement.GetProperty("evaluation");
            Assert.Equal(["true", "false"], evaluation.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal(80, evaluation.GetProperty("confusionMatrix").EnumerateArray().Sum(r => r.EnumerateArray().Sum(c => c.GetInt64())));
            // Sweeps cross-validate with or without calibration by this flag; it must match what the trainer produces.
            var outputs = card.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString());
            Assert.Equal(TrainerRegistry.Find(ModelTask.Binary, trainer)!.Calibrated, outputs.Contains("Probability"));
        }
    }

    [Fact]
    public void The_model_card_holds_the_contract_between_build_and_compiler()
    {
        var (ok, diagnostics, output) = Train(SyntheticData.Manifest("multiclass", "species", "LightGbm", """{ "NumberOfLeaves": 8 }"""));
        Assert.True(ok, string.Join("\n", diagnostics.Items));

        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json")));
        var root = card.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(("Penguins", "multiclass", "species"), (root.GetProperty("name").GetString(), root.GetProperty("task").GetString(), root.GetProperty("label").GetString()));
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        var inputs = root.GetProperty("inputs").EnumerateArray().ToArray();
        Assert.Equal(["Body Mass (g)", "flipper length", "island", "has tag"], inputs.Select(i => i.GetProperty("column").GetString()));
        Assert.Equal(["BodyMassG", "FlipperLength", "Island", "HasTag"], inputs.Select(i => i.GetProperty("property").GetString()));
        Assert.Equal(["float", "float", "string", "bool"], inputs.Select(i => i.GetProperty("csharpType").GetString()));
        Assert.Equal(["float", "float", "string", "float"], inputs.Select(i => i.GetProperty("onnxType").GetString()));
        var mass = inputs[0].GetProperty("statistics");
        Assert.True(mass.GetProperty("missing").GetInt64() > 0);
        Assert.Equal(240, mass.GetProperty("count").GetInt64());
        Assert.Equal(mass.GetProperty("histogram").GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()), 240 - mass.GetProperty("missing").GetInt64());
        var islands = inputs[2].GetProperty("statistics").GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("value").GetString()).Order();
        Assert.Equal(["Biscoe", "Dream", "Torgersen, north"], islands);

        Assert.Equal(["PredictedLabel", "Score"], root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        var onnx = root.GetProperty("onnx");
        Assert.Equal("MLOps.Models.Penguins.onnx", onnx.GetProperty("resourceName").GetString());
        Assert.True(onnx.GetProperty("opset").GetInt64() >= 9);
        Assert.Equal(MLOps.Build.Hashing.FileHash.Sha256(Path.Combine(output, "model.onnx")), onnx.GetProperty("sha256").GetString());
        Assert.Equal((240, 80), (root.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64(), root.GetProperty("data").GetProperty("test").GetProperty("rows").GetInt64()));
        Assert.Equal(8, root.GetProperty("trainer").GetProperty("options").GetProperty("NumberOfLeaves").GetInt32());
        Assert.True(root.GetProperty("metrics").GetProperty("MicroAccuracy").GetDouble() > 0.7);
        Assert.Equal("fingerprint-1", root.GetProperty("fingerprint").GetString());

        var importance = root.GetProperty("featureImportance").EnumerateArray().ToArray();
        Assert.Equal(["Body Mass (g)", "flipper length", "has tag", "island"], importance.Select(i => i.GetProperty("column").GetString()).Order());
        Assert.All(importance, i => Assert.Equal("MicroAccuracy", i.GetProperty("metric").GetString()));
        // The species follow the island in this data, so shuffling the island (a one-hot column) must hurt most.
        Assert.Equal("island", importance[0].GetProperty("column").GetString());
        Assert.True(importance[0].GetProperty("drop").GetDouble() > 0.1);

        var evaluation = root.GetProperty("evaluation");
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], evaluation.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var matrix = evaluation.GetProperty("confusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(80, matrix.Sum(r => r.Sum()));
        Assert.Equal(3, evaluation.GetProperty("precision").GetArrayLength());
        Assert.Equal(3, evaluation.GetProperty("logLoss").GetArrayLength());
        // MicroAccuracy is the share of the diagonal.
        Assert.Equal(root.GetProperty("metrics").GetProperty("MicroAccuracy").GetDouble(), (double)(matrix[0][0] + matrix[1][1] + matrix[2][2]) / 80, 9);

        using var metrics = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "metrics.json")));
        Assert.True(JsonElement.DeepEquals(root.GetProperty("metrics"), metrics.RootElement));
    }

    [Fact]
    public void Without_test_data_a_seeded_split_holds_out_the_test_fraction()
    {
        var manifest = SyntheticData.Manifest("regression", "bill depth", "FastTree")
            .Replace("\"test\": \"test.csv\"", "\"testFraction\": 0.25");
        var (ok, diagnostics, output) = Train(manifest);

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var card = ArtifactJson.Read(Path.Combine(output, "modelcard.json"), ArtifactJson.ModelCard);
        // Parity compares every test row (60) and the synthetic edge rows.
        Assert.Equal((180L, 60L, 60L), (card.Data!.Train.Rows, card.Parity!.SampledFrom!.Value, card.Parity.Rows - card.Parity.EdgeRows!.Value));
    }

    [Fact]
    public void The_same_inputs_give_a_byte_identical_model()
    {
        var manifest = SyntheticData.Manifest("multiclass", "species", "LightGbm");
        var first = Train(manifest, "a");
        var second = Train(manifest, "b");

        Assert.True(first.Ok && second.Ok);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Output, "model.onnx")), File.ReadAllBytes(Path.Combine(second.Output, "model.onnx")));
        Assert.Equal(File.ReadAllText(Path.Combine(first.Output, "metrics.json")), File.ReadAllText(Path.Combine(second.Output, "metrics.json")));
    }

    [Fact]
    public void A_single_class_label_is_MLOPS1034_and_writes_nothing()
    {
        _folder.Write("train.csv", "a,b,y\n1,2,x\n3,4,x\n5,6,x\n");
        _folder.Write("test.csv", "a,b,y\n1,2,x\n");
        var manifest = "{\n  \"name\": \"One\",\n  \"task\": \"multiclass\",\n  \"label\": \"y\",\n  \"data\": { \"train\": \"train.csv\", \"test\": \"test.csv\" },\n  \"trainer\": \"LightGbm\"\n}";

        var (ok, diagnostics, output) = Train(manifest);

        Assert.False(ok);
        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(("MLOPS1034", 4, 12), (d.Id, d.Location.Line, d.Location.Column));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Test_data_without_a_training_column_is_MLOPS1039()
    {
        _folder.Write("test.csv", "id,Body Mass (g),island,has tag,species\n1,3000,Dream,true,Adelie\n");
        var (ok, diagnostics, _) = Train(SyntheticData.Manifest("multiclass", "species", "LightGbm"));

        Assert.False(ok);
        Assert.Equal("MLOPS1039", Assert.Single(diagnostics.Items).Id);
    }
}

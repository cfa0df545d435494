using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>Every broken input fails the build with a coded diagnostic at the right place, and never with a crash.</summary>
[Collection(PackagesCollection.Name)]
public sealed class BrokenInputTests(PackagesFixture packages)
{
    private static string Manifest(string name, string train, string? sha, string trainer = "\"LightGbm\"", string extra = "") =>
        "{\n" +
        $"  \"name\": \"{name}\",\n" +
        "  \"task\": \"multiclass\",\n" +
        "  \"label\": \"kind\",\n" +
        $"  \"data\": {{ \"train\": {{ \"path\": \"{train}\"{(sha is null ? "" : $", \"sha256\": \"{sha}\"")} }} }},\n" +
        $"  \"trainer\": {trainer}{extra}\n" +
        "}\n";

    private const string GoodCsv = "size,color,kind\n1.5,red,a\n2.5,blue,b\n3.5,red,a\n4.5,blue,b\n";

    private static void AssertNoCrash(BuildResult build)
    {
        Assert.DoesNotContain("MSB4018", build.Output);
        Assert.DoesNotContain("MSB6006", build.Output);
        Assert.DoesNotContain("   at ", build.Output);
        Assert.DoesNotContain("Unhandled exception", build.Output);
    }

    [Fact]
    public void Broken_manifests_each_fail_with_their_code_at_their_line()
    {
        using var project = new ConsumerProject(packages, "BrokenManifests");
        var data = project.Write("Models/data/good.csv", GoodCsv);
        var sha = ConsumerProject.Sha256(data);
        var invalidJson = project.Write("Models/InvalidJson.mlmodel.json", "{\n  \"name\": \"InvalidJson\"\n  \"task\": \"binary\"\n}\n");
        var unknownTrainer = project.Write("Models/UnknownTrainer.mlmodel.json", Manifest("UnknownTrainer", "data/good.csv", sha, "\"LightGBM\""));
        var unknownMetric = project.Write("Models/UnknownMetric.mlmodel.json",
            Manifest("UnknownMetric", "data/good.csv", sha, extra: ",\n  \"gates\": [ { \"metric\": \"AUC\", \"min\": 0.9 } ]"));
        var changedData = project.Write("Models/ChangedData.mlmodel.json", Manifest("ChangedData", "data/good.csv", new string('0', 64)));
        var outside = project.Write("Models/Outside.mlmodel.json", Manifest("Outside", "../../../etc/passwd", sha));
        project.SetModels("Models/InvalidJson.mlmodel.json", "Models/UnknownTrainer.mlmodel.json", "Models/UnknownMetric.mlmodel.json",
            "Models/ChangedData.mlmodel.json", "Models/Outside.mlmodel.json");

        var build = project.Build();

        project.Verify(nameof(Broken_manifests_each_fail_with_their_code_at_their_line), () =>
        {
            Assert.False(build.Succeeded);
            AssertNoCrash(build);
            Assert.Equal(
                new[]
                {
                    (invalidJson, 3, 3, "MLOPS1002"),
                    (unknownTrainer, 6, 14, "MLOPS1006"),
                    (unknownMetric, 7, 26, "MLOPS1007"),
                    (changedData, 5, 59, "MLOPS1021"),
                    (outside, 5, 32, "MLOPS1023"),
                }.OrderBy(e => e.Item4),
                build.Errors.Select(e => (e.File, e.Line, e.Column, e.Code)).OrderBy(e => e.Code));
            Assert.Contains(build.Errors, e => e.Code == "MLOPS1006" && e.Message.Contains("Did you mean 'LightGbm'?"));
            Assert.False(Directory.Exists(project.PathOf("obj/mlops/UnknownTrainer")));
        });
    }

    [Fact]
    public void Broken_data_and_options_each_fail_with_their_code_at_their_place()
    {
        using var project = new ConsumerProject(packages, "BrokenData");
        string Pinned(string name, string file, string csv, string trainer = "\"LightGbm\"", string extra = "")
        {
            var data = project.Write($"Models/data/{file}", csv);
            project.Write($"Models/{name}.mlmodel.json", Manifest(name, $"data/{file}", ConsumerProject.Sha256(data), trainer, extra));
            return data;
        }
        var ragged = Pinned("Ragged", "ragged.csv", "size,color,kind\n1.5,red,a\n2.5,blue\n3.5,red,a\n");
        var notANumber = Pinned("NotANumber", "nan.csv", "size,color,kind\n1.5,red,a\n\"two, and a half\",blue,b\n", extra: ",\n  \"columns\": { \"size\": \"float\" }");
        Pinned("OneClass", "one.csv", "size,color,kind\n1.5,red,a\n2.5,blue,a\n3.5,red,a\n");
        var headerOnly = Pinned("HeaderOnly", "header.csv", "size,color,kind\n");
        Pinned("BadOption", "good.csv", GoodCsv, "{ \"name\": \"LightGbm\", \"options\": { \"NumberOfLeafs\": 4 } }");
        project.SetModels("Models/Ragged.mlmodel.json", "Models/NotANumber.mlmodel.json", "Models/OneClass.mlmodel.json",
            "Models/HeaderOnly.mlmodel.json", "Models/BadOption.mlmodel.json");

        var build = project.Build();

        project.Verify(nameof(Broken_data_and_options_each_fail_with_their_code_at_their_place), () =>
        {
            Assert.False(build.Succeeded);
            AssertNoCrash(build);
            Assert.Equal(
                new[]
                {
                    (ragged, 3, 1, "MLOPS1030"),
                    (notANumber, 3, 1, "MLOPS1031"),
                    (project.PathOf("Models/OneClass.mlmodel.json"), 4, 12, "MLOPS1034"),
                    (headerOnly, 0, 0, "MLOPS1032"),
                    (project.PathOf("Models/BadOption.mlmodel.json"), 6, 49, "MLOPS2004"),
                }.OrderBy(e => e.Item4),
                build.Errors.Select(e => (e.File, e.Line, e.Column, e.Code)).OrderBy(e => e.Code));
            foreach (var name in new[] { "Ragged", "NotANumber", "OneClass", "HeaderOnly", "BadOption" })
            {
                Assert.False(File.Exists(project.PathOf($"obj/mlops/{name}/fingerprint.txt")), name);
            }
        });
    }
}

using System.Text;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Training data is untrusted input. A data file written by an attacker (found by trying: a category cell with a
/// quoted newline compiled a property into the app; a header with a newline broke the build; a 10 MB cell exceeded
/// the compiler's string limit) trains a model whose generated class is exactly the class any data gives.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class HostileDataTests(PackagesFixture packages)
{
    [Fact]
    public void Cells_and_headers_that_try_to_inject_code_change_nothing_in_the_app()
    {
        using var project = new ConsumerProject(packages, "Hostile");
        var csv = new StringBuilder("size,\"col\nor\",\"kind\"\n");
        var injections = new[]
        {
            "\"b\n public static int Injected { get { return 42; } } //\"",
            "\"x\u2028public static int Injected2 => 42;\"",
            "\"*/ public static int Injected3 => 42; /*\"",
            "\"</summary><see cref=\"\"Injected\"\"/>\"",
            "\"" + new string('z', 10_000_000) + "\"",
        };
        for (var i = 0; i < 200; i++)
        {
            var color = i % 7 < injections.Length ? injections[i % 7] : (i % 2 == 0 ? "red" : "blue");
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 10 + 0.5},{color},{(i % 2 == 0 ? "a" : "b")}\n");
        }
        project.Write("Models/data/hostile.csv", csv.ToString());
        project.Write("Models/Hostile.mlmodel.json", """
            {
              "name": "HostileModel",
              "task": "multiclass",
              "label": "kind",
              "data": { "train": "data/hostile.csv" },
              "columns": { "col\nor": "category" },
              "trainer": { "name": "LightGbm", "options": { "NumberOfIterations": 10 } },
              "seed": 1
            }
            """);
        project.SetModels("Models/Hostile.mlmodel.json");
        // The app lists what the generated class declares, and scores a row with a hostile category.
        project.Write("Program.cs", """
            using System.Reflection;
            var type = typeof(Hostile.HostileModel);
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            Console.WriteLine("members: " + string.Join(",", type.GetMembers(all).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal)));
            Console.WriteLine("input: " + string.Join(",", typeof(Hostile.HostileModel.Input).GetProperties().Select(p => p.Name)));
            using var model = Hostile.HostileModel.Load();
            Console.WriteLine("predicted: " + model.Predict(new Hostile.HostileModel.Input { Size = 1.5f, ColOr = "b\n public static int Injected { get { return 42; } } //" }).PredictedLabel);
            """);

        project.Verify(nameof(Cells_and_headers_that_try_to_inject_code_change_nothing_in_the_app), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output.Length > 20_000 ? build.Output[..20_000] : build.Output);
            Assert.DoesNotContain(build.Diagnostics, d => d.Code.StartsWith("CS", StringComparison.Ordinal));

            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            // The whole line, so that a member added after the last expected one shows too.
            Assert.Equal("members: .cctor,.ctor,<Classes>k__BackingField,Capture,Classes,Dispose,DriftMonitor,Engine,Fill,FillRows,Input,Load,ModelName,Outcomes,Output,Predict,PredictBatch,Provenance,Read,ReadRows,RecordOutcome,Schema,_session,get_Capture,get_Classes,get_DriftMonitor,get_Engine,get_ModelName,get_Outcomes,get_Provenance,"
                + "global::MLOps.Runtime.IMLOpsModel<Hostile.HostileModel>.Thresholds,global::MLOps.Runtime.IMLOpsModel<Hostile.HostileModel>.get_Thresholds",
                run.Output.Split('\n').Single(line => line.StartsWith("members: ", StringComparison.Ordinal)).TrimEnd('\r'));
            Assert.Contains("input: Size,ColOr", run.Output);
            Assert.DoesNotContain("Injected", run.Output);
            Assert.Contains("predicted: ", run.Output);
            Assert.True(new FileInfo(project.PathOf("obj/mlops/HostileModel/modelcard.json")).Length > 10_000_000, "the card keeps the 10 MB category");
        });
    }
}

using System.Reflection;
using System.Runtime.Versioning;
using MLOps.Build.EndToEnd.Tests.Infrastructure;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>A consumer writes typed prediction code against the generated class, in JIT and Native AOT apps.</summary>
[Collection(PackagesCollection.Name)]
public sealed class TypedScoringTests(PackagesFixture packages)
{
    private const string TypedProgram = """
        using Typed;

        using var model = LoanApproval.Load();
        var output = model.Predict(new LoanApproval.Input
        {
            AnnualIncome = 120000f,
            DebtToIncome = 8.5f,
            EmploymentType = "salaried",
            HasGuarantor = true,
        });
        var outputs = new LoanApproval.Output[2];
        model.PredictBatch(new[]
        {
            new LoanApproval.Input { AnnualIncome = 120000f, DebtToIncome = 8.5f, EmploymentType = "salaried", HasGuarantor = true },
            new LoanApproval.Input { AnnualIncome = 21000f, DebtToIncome = 55f, EmploymentType = null, HasGuarantor = false },
        }, outputs);
        Console.WriteLine($"approved={output.PredictedLabel} probability={output.Probability:0.000} batch={outputs[0].PredictedLabel},{outputs[1].PredictedLabel} engine={model.Engine}");
        """;

    private static ConsumerProject Typed(PackagesFixture packages, string program, string? folder = null)
    {
        var project = new ConsumerProject(packages, "Typed", folder);
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/LoanApproval.mlmodel.json", ConsumerData.LoanManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");
        project.Write("Program.cs", program);
        return project;
    }

    [Fact]
    public void A_project_in_a_folder_named_with_MSBuild_syntax_and_Unicode_builds_and_scores()
    {
        // What the .NET SDK itself accepts in a folder name ('%XX', ';' and '@(' it does not): MSBuild reads "$(…)" as
        // a property wherever our targets hand a path from a task to a condition, unless the task escaped it.
        using var project = Typed(packages, TypedProgram, "José's $(Models) (1) 天気");
        project.Verify(nameof(A_project_in_a_folder_named_with_MSBuild_syntax_and_Unicode_builds_and_scores), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            Assert.Contains("MLOPS2010: LoanApproval: trained FastTree on 600 rows", build.Output);
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains("approved=True probability=", run.Output);
            Assert.Contains("engine=Compiled", run.Output);
        });
    }

    [Fact]
    public void Typed_predictions_work_and_a_feature_the_model_lacks_is_a_compile_error()
    {
        using var project = Typed(packages, TypedProgram);
        project.Verify(nameof(Typed_predictions_work_and_a_feature_the_model_lacks_is_a_compile_error), () =>
        {
            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains("approved=True probability=", run.Output);
            Assert.Contains("batch=True,False", run.Output);
            Assert.Contains("engine=Compiled", run.Output);

            project.Write("Program.cs", TypedProgram.Replace("HasGuarantor = true,\n});", "HasGuarantor = true,\n    CreditScore = 700f,\n});"));
            var broken = project.Build();
            Assert.False(broken.Succeeded);
            var error = Assert.Single(broken.Errors);
            Assert.Equal(("CS0117", project.PathOf("Program.cs"), 10), (error.Code, error.File, error.Line));
            Assert.Contains("CreditScore", error.Message);
        });
    }

    [Fact]
    public void An_imported_external_ONNX_model_is_pinned_embedded_and_typed()
    {
        var resnet = typeof(TypedScoringTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ResNet18Onnx").Value!;
        using var project = new ConsumerProject(packages, "Imported");
        Directory.CreateDirectory(project.PathOf("Models"));
        File.Copy(resnet, project.PathOf("Models/ResNet18.onnx"));
        project.Write("Models/ResNet18.mlmodel.json", "{\n  \"name\": \"ResNet18\",\n  \"onnx\": { \"path\": \"ResNet18.onnx\" }\n}\n");
        project.SetModels("Models/ResNet18.mlmodel.json");
        project.Write("Program.cs", """
            using Imported;

            using var model = ResNet18.Load();
            var pixels = new float[3 * 224 * 224];
            for (var i = 0; i < pixels.Length; i++) { pixels[i] = (i % 255) / 255f; }
            var features = model.Predict(new ResNet18.Input { Input247 = pixels }).Pooling395Output0;
            Console.WriteLine($"features={features.Length} first={features[0]:0.0000}");
            """);

        project.Verify(nameof(An_imported_external_ONNX_model_is_pinned_embedded_and_typed), () =>
        {
            var unpinned = project.Build();
            Assert.Equal(("MLOPS1022", 3, 21), unpinned.WithCode("MLOPS1022").Select(d => (d.Code, d.Line, d.Column)).Single());

            var build = project.Build("MLOpsUpdateLock=true");
            Assert.True(build.Succeeded, build.Output);
            Assert.Contains("MLOPS2010: ResNet18: imported 'ResNet18.onnx'", build.Output);
            Assert.Contains(ConsumerProject.Sha256(resnet), project.Read("Models/ResNet18.mlmodel.json"));
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);
            Assert.Contains("features=512 first=", run.Output);
        });
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_Native_AOT_app_of_compiled_models_publishes_without_ONNX_Runtime_and_predicts()
    {
        using var project = Typed(packages, TypedProgram);
        project.Write("Typed.csproj", project.Read("Typed.csproj").Replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <PublishAot>true</PublishAot>"));
        project.Verify(nameof(A_Native_AOT_app_of_compiled_models_publishes_without_ONNX_Runtime_and_predicts), () =>
        {
            Assert.True(project.Build("MLOpsUpdateLock=true").Succeeded);
            var output = project.PathOf("aot");
            var publish = DotNet.Run(project.Root, null, "publish", "-r", "linux-x64", "-f", "net10.0", "-c", "Release", "-o", output, "-nodeReuse:false", "-p:MLOpsOnnxRuntime=false");
            Assert.True(publish.Succeeded, publish.Output);
            Assert.DoesNotMatch(@"warning (IL\d{4}|MLOPS\d{4})", publish.Output);
            Assert.Empty(Directory.GetFiles(output, "*onnxruntime*"));

            var native = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(output, "Typed")) { RedirectStandardOutput = true })!;
            var printed = native.StandardOutput.ReadToEnd();
            native.WaitForExit();
            Assert.Equal(0, native.ExitCode);
            Assert.Contains("approved=True probability=", printed);
            Assert.Contains("engine=Compiled", printed);
            Assert.False(File.Exists(Path.Combine(output, "Typed.dll")), "a Native AOT publish has no managed entry assembly");
        });
    }
}

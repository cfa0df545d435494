using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using MLOps.Build.Generators.ModelClasses;

namespace MLOps.Build.Generators.Tests;

/// <summary>Code-generation diagnostics, through Roslyn's source generator test harness.</summary>
public sealed class DiagnosticTests
{
    private static CSharpSourceGeneratorTest<ModelClassGenerator, DefaultVerifier> Test(bool withRuntime = true)
    {
        var test = new CSharpSourceGeneratorTest<ModelClassGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            TestState = { Sources = { "public static class App { }" } },
        };
        if (withRuntime)
        {
            test.TestState.AdditionalReferences.Add(typeof(MLOps.Runtime.ModelSession).Assembly);
        }
        return test;
    }

    private static void AddFile(CSharpSourceGeneratorTest<ModelClassGenerator, DefaultVerifier> test, string path, string text, string kind, string model)
    {
        test.TestState.AdditionalFiles.Add((path, text));
        test.TestState.AnalyzerConfigFiles.Add(Analyzers.AnalyzerHarness.MetadataConfig(path, kind, model));
    }

    [Fact]
    public async Task A_manifest_without_a_model_card_is_one_informational_MLOPS5001_and_no_code()
    {
        var test = Test();
        AddFile(test, "/Models/Weather.mlmodel.json", "{}", "Manifest", "WeatherModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5001", DiagnosticSeverity.Info)
            .WithSpan("/Models/Weather.mlmodel.json", 1, 1, 1, 1)
            .WithArguments("WeatherModel"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_card_of_another_schema_version_is_MLOPS5003()
    {
        var test = Test();
        var card = File.ReadAllText(GeneratorHarness.Fixture("TenureModel")).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 9");
        AddFile(test, "/obj/mlops/TenureModel/modelcard.json", card, "ModelCard", "TenureModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5003", DiagnosticSeverity.Error)
            .WithSpan("/obj/mlops/TenureModel/modelcard.json", 1, 1, 1, 1)
            .WithArguments("/obj/mlops/TenureModel/modelcard.json", "9", "1 to 2"));

        await test.RunAsync();
    }

    [Fact]
    public async Task An_unreadable_card_is_MLOPS5002()
    {
        var test = Test();
        AddFile(test, "/obj/mlops/TenureModel/modelcard.json", "{ \"schemaVersion\": 1, \"task\": ", "ModelCard", "TenureModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5002", DiagnosticSeverity.Error)
            .WithSpan("/obj/mlops/TenureModel/modelcard.json", 1, 1, 1, 1)
            .WithArguments("/obj/mlops/TenureModel/modelcard.json", "unexpected end of the document at line 1, column 31"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_card_nested_deeper_than_JSON_readers_allow_is_MLOPS5002_not_a_stack_overflow()
    {
        // Without a depth limit the generator recursed once per bracket and took the compiler process down.
        var test = Test();
        AddFile(test, "/obj/mlops/TenureModel/modelcard.json", "{ \"schemaVersion\": " + new string('[', 200_000), "ModelCard", "TenureModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5002", DiagnosticSeverity.Error)
            .WithSpan("/obj/mlops/TenureModel/modelcard.json", 1, 1, 1, 1)
            .WithArguments("/obj/mlops/TenureModel/modelcard.json", "values nested deeper than 64 levels at line 1, column 83"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Without_MLOps_Runtime_the_class_is_not_generated_and_MLOPS5005_says_why()
    {
        var test = Test(withRuntime: false);
        AddFile(test, "/obj/mlops/TenureModel/modelcard.json", File.ReadAllText(GeneratorHarness.Fixture("TenureModel")), "ModelCard", "TenureModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5005", DiagnosticSeverity.Warning).WithArguments("TenureModel"));

        await test.RunAsync();
    }

    [Fact]
    public async Task With_an_MLOps_Runtime_older_than_the_generator_the_class_is_not_generated_and_MLOPS5006_names_both_versions()
    {
        var test = Test(withRuntime: false);
        test.TestState.AdditionalReferences.Add(AssemblyNamed("MLOps.Runtime", "0.0.1.0"));
        AddFile(test, "/obj/mlops/TenureModel/modelcard.json", File.ReadAllText(GeneratorHarness.Fixture("TenureModel")), "ModelCard", "TenureModel");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5006", DiagnosticSeverity.Error)
            .WithArguments("TenureModel", RuntimeReference.GeneratorVersion.ToString(3), "0.0.1"));

        await test.RunAsync();
    }

    [Theory]
    [InlineData(null, "MLOPS5005")]
    [InlineData("0.0.9.0", "MLOPS5006")]
    [InlineData("same", null)]
    [InlineData("same+revision", null)]
    [InlineData("99.0.0.0", null)]
    public void The_runtime_must_be_of_the_generator_s_release_or_later(string? version, string? expected)
    {
        var generator = RuntimeReference.GeneratorVersion;
        var referenced = version switch
        {
            null => null,
            "same" => generator,
            "same+revision" => new Version(generator.Major, generator.Minor, Math.Max(generator.Build, 0), 77),
            _ => new Version(version),
        };

        Assert.Equal(expected, new RuntimeReference(referenced).Problem("M")?.Id);
    }

    /// <summary>An empty assembly with that name and version, as a reference.</summary>
    private static MetadataReference AssemblyNamed(string name, string version)
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(name,
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]")],
            Basic.Reference.Assemblies.Net80.References.All,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    [Fact]
    public async Task Two_models_generating_one_class_is_MLOPS5004()
    {
        var test = Test();
        var card = File.ReadAllText(GeneratorHarness.Fixture("TenureModel"));
        test.TestState.AdditionalFiles.Add(("/a/modelcard.json", card));
        test.TestState.AdditionalFiles.Add(("/b/modelcard.json", card));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
            is_global = true

            [/a/modelcard.json]
            build_metadata.AdditionalFiles.MLOpsKind = ModelCard
            build_metadata.AdditionalFiles.MLOpsModelName = TenureA
            build_metadata.AdditionalFiles.MLOpsClassName = Tenure
            build_metadata.AdditionalFiles.MLOpsNamespace = App

            [/b/modelcard.json]
            build_metadata.AdditionalFiles.MLOpsKind = ModelCard
            build_metadata.AdditionalFiles.MLOpsModelName = TenureB
            build_metadata.AdditionalFiles.MLOpsClassName = Tenure
            build_metadata.AdditionalFiles.MLOpsNamespace = App
            """));
        // Both classes are still generated (the compiler's duplicate-type errors follow); MLOPS5004 says what to change.
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS5004", DiagnosticSeverity.Error)
            .WithArguments("Models 'TenureA', 'TenureB' would all generate the class 'App.Tenure'; set a ClassName or Namespace on their MLModel items"));

        await test.RunAsync();
    }
}

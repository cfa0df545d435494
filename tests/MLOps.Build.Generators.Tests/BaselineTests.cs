using Microsoft.CodeAnalysis;

namespace MLOps.Build.Generators.Tests;

/// <summary>
/// The generated code for each kind of model, against checked-in baselines. After a deliberate change to the
/// emitter, regenerate them with MLOPS_UPDATE_BASELINES=1 and review the diff; they never update silently.
/// </summary>
public sealed class BaselineTests
{
    private static bool Update => Environment.GetEnvironmentVariable("MLOPS_UPDATE_BASELINES") == "1";

    [Theory]
    [InlineData("WeatherModel")]
    [InlineData("ChurnModel")]
    [InlineData("TenureModel")]
    [InlineData("ResNet18")]
    [InlineData("TicketsModel")]
    [InlineData("MiniLM")]
    public void Generated_code_matches_its_baseline_and_compiles(string model)
    {
        var driver = GeneratorHarness.Driver([GeneratorHarness.ModelCardFile.Card(model)]);
        var compilation = GeneratorHarness.Compilation("namespace Contoso; public static class App { }");

        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var generated = Assert.Single(driver.GetRunResult().GeneratedTrees);
        Assert.EndsWith($"Contoso.Models.{model}.g.cs", generated.FilePath);
        var text = generated.GetText().ToString().Replace("\r\n", "\n");
        var baseline = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "MLOps.Build.Generators.Tests", "Baselines", model + ".g.cs");
        if (Update)
        {
            File.WriteAllText(baseline, text);
        }
        Assert.True(File.Exists(baseline), $"No baseline {baseline}; run with MLOPS_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(baseline).Replace("\r\n", "\n"), text);

        var errors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
    }

    [Fact]
    public void ClassName_Namespace_and_Visibility_follow_the_MLModel_metadata()
    {
        var driver = GeneratorHarness.Driver([GeneratorHarness.ModelCardFile.Card("TenureModel", className: "Tenure", ns: "", visibility: "internal")]);

        var result = driver.RunGenerators(GeneratorHarness.Compilation("")).GetRunResult();

        var text = Assert.Single(result.GeneratedTrees).GetText().ToString();
        Assert.Contains("internal sealed partial class Tenure : global::System.IDisposable", text);
        Assert.DoesNotContain("namespace", text.Split("#nullable enable")[1].Split("///")[0]);
    }

    [Fact]
    public void Using_a_feature_the_model_does_not_have_is_a_compile_error()
    {
        var driver = GeneratorHarness.Driver([GeneratorHarness.ModelCardFile.Card("WeatherModel")]);
        var compilation = GeneratorHarness.Compilation("""
            using Contoso.Models;
            public static class App
            {
                public static string Run(WeatherModel model) =>
                    model.Predict(new WeatherModel.Input { Precipitation = 1f, Humidity = 0.5f }).PredictedLabel;
            }
            """);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS0117", error.Id);
        Assert.Contains("Humidity", error.GetMessage());
    }
}

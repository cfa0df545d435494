using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MLOps.Build.Generators.ModelClasses;

namespace MLOps.Build.Generators.Tests;

public sealed class IncrementalityTests
{
    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation("public static class App { }");
        var driver = GeneratorHarness.Driver(
            [GeneratorHarness.ModelCardFile.Card("WeatherModel"), GeneratorHarness.ModelCardFile.Card("ChurnModel")], trackSteps: true);
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int X => 1; }",
            new CSharpParseOptions(LanguageVersion.CSharp12)));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in new[] { TrackingNames.ModelFiles, TrackingNames.Models, TrackingNames.ProjectProblems, TrackingNames.RuntimeReference })
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} is not tracked");
            var reasons = result.TrackedSteps[name].SelectMany(step => step.Outputs).Select(o => o.Reason).ToArray();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void A_changed_card_regenerates_only_that_model()
    {
        var weather = GeneratorHarness.ModelCardFile.Card("WeatherModel");
        var churn = GeneratorHarness.ModelCardFile.Card("ChurnModel");
        var compilation = GeneratorHarness.Compilation("");
        var driver = GeneratorHarness.Driver([weather, churn], trackSteps: true).RunGenerators(compilation);

        var retrained = new GeneratorHarness.ModelCardFile(churn.Path, File.ReadAllText(churn.Path).Replace("\"version\": \"2.0.0\"", "\"version\": \"2.1.0\""), "ModelCard", "ChurnModel");
        driver = driver.ReplaceAdditionalText(churn, retrained);
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var reasons = result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(IncrementalStepRunReason.Cached, reasons);
    }
}

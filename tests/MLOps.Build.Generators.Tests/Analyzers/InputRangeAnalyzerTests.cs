using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using MLOps.Build.Generators.Inputs;

namespace MLOps.Build.Generators.Tests.Analyzers;

/// <summary>Literals assigned to generated Input properties, checked against the training statistics in the card.</summary>
public sealed class InputRangeAnalyzerTests
{
    // The shape of the generated class is all the analyzer needs; the generator's own tests cover the rest.
    private const string ChurnModelClass = """
        namespace App
        {
            public sealed partial class ChurnModel
            {
                public sealed class Input
                {
                    public float CustomerAge { get; set; }
                    public float MonthlySpend { get; set; }
                    public string? Plan { get; set; }
                    public bool AutoRenew { get; set; }
                }
            }
        }
        """;

    private static Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<InputRangeAnalyzer, DefaultVerifier> Test(string code, Func<string, string>? editCard = null)
    {
        var test = AnalyzerHarness.Test<InputRangeAnalyzer>("#nullable enable\n" + code);
        test.TestState.Sources.Add(("/src/ChurnModel.cs", "#nullable enable\n" + ChurnModelClass));
        var card = File.ReadAllText(GeneratorHarness.Fixture("ChurnModel"));
        test.AddFile("/repo/obj/mlops/ChurnModel/modelcard.json", editCard?.Invoke(card) ?? card, "ModelCard", "ChurnModel");
        return test;
    }

    [Fact]
    public async Task A_category_is_not_called_unseen_when_the_card_says_its_list_is_truncated()
    {
        var test = Test("""
            using App;
            public static class Scoring
            {
                public static ChurnModel.Input Make() => new ChurnModel.Input { Plan = "platinum" };
            }
            """, card => card.Replace("\"categories\": [", "\"categoriesTruncated\": true,\n        \"categories\": [", StringComparison.Ordinal));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_category_or_column_from_the_data_with_a_line_break_stays_on_the_message_s_line()
    {
        var test = Test("""
            using App;
            public static class Scoring
            {
                public static ChurnModel.Input Make() => new ChurnModel.Input { Plan = {|#0:"platinum"|} };
            }
            """, card => card.Replace("\"pro, annual\"", "\"pro\\n::error::forged\\u001b[2J\"", StringComparison.Ordinal)
                .Replace("\"column\": \"plan\"", "\"column\": \"plan\\r\\n::warning::x\"", StringComparison.Ordinal));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS6002", DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("ChurnModel.Input", "Plan", "platinum", "plan\\u000D\\u000A::warning::x", "\"plus\", \"basic\", \"pro\\u000A::error::forged\\u001B[2J\""));

        await test.RunAsync();
    }

    [Fact]
    public async Task Literals_outside_the_training_range_or_categories_are_warnings_at_the_literal()
    {
        var test = Test("""
            using App;
            public static class Scoring
            {
                public static ChurnModel.Input Make(float age) => new ChurnModel.Input
                {
                    CustomerAge = {|#0:120|},
                    MonthlySpend = 42.5f,
                    Plan = {|#1:"platinum"|},
                    AutoRenew = true,
                };

                public static void Change(ChurnModel.Input input, float age)
                {
                    input.CustomerAge = age;
                    input.MonthlySpend = {|#2:-1|};
                    input.Plan = "pro, annual";
                    input.Plan = null;
                    input.CustomerAge = 18;
                }
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS6001", DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("ChurnModel.Input", "CustomerAge", "120", "18", "80", "Customer Age"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS6002", DiagnosticSeverity.Warning).WithLocation(1)
            .WithArguments("ChurnModel.Input", "Plan", "platinum", "plan", "\"plus\", \"basic\", \"pro, annual\""));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("MLOPS6001", DiagnosticSeverity.Warning).WithLocation(2)
            .WithArguments("ChurnModel.Input", "MonthlySpend", "-1", "5.25", "199.38", "Monthly Spend ($)"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Other_types_with_the_same_property_names_are_ignored()
    {
        var test = Test("""
            public sealed class Input { public float CustomerAge { get; set; } }
            public static class Scoring
            {
                public static Input Make() => new() { CustomerAge = 500 };
            }
            """);

        await test.RunAsync();
    }
}

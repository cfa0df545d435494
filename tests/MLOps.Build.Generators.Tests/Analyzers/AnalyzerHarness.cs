using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MLOps.Build.Generators.Tests.Analyzers;

/// <summary>Roslyn's analyzer test harness with MLOps.Build's AdditionalFiles and their item metadata.</summary>
internal static class AnalyzerHarness
{
    public static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> Test<TAnalyzer>(string source = "public static class App { }")
        where TAnalyzer : DiagnosticAnalyzer, new() => new()
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            TestState = { Sources = { ("/src/Program.cs", source) } },
        };

    public static void AddFile<TAnalyzer>(this CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> test, string path, string text, string kind, string model)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        test.TestState.AdditionalFiles.Add((path, text));
        test.TestState.AnalyzerConfigFiles.Add(MetadataConfig(path, kind, model));
    }

    /// <summary>The item metadata MLOps.Build's targets attach to an AdditionalFile, as the compiler sees it.</summary>
    public static (string Path, string Text) MetadataConfig(string path, string kind, string model) => ($"/{model}-{kind}.globalconfig", $"""
        is_global = true

        [{path}]
        build_metadata.AdditionalFiles.MLOpsKind = {kind}
        build_metadata.AdditionalFiles.MLOpsModelName = {model}
        build_metadata.AdditionalFiles.MLOpsClassName = {model}
        build_metadata.AdditionalFiles.MLOpsNamespace = App
        build_metadata.AdditionalFiles.MLOpsVisibility = public
        """);
}

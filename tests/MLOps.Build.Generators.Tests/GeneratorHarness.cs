using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using MLOps.Build.Generators.ModelClasses;

namespace MLOps.Build.Generators.Tests;

/// <summary>Runs the generator the way the compiler does, with AdditionalFiles and their MSBuild metadata.</summary>
internal static class GeneratorHarness
{
    public static string RepositoryRoot { get; } = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static string Fixture(string model) => Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", model, "modelcard.json");

    public static ImmutableArray<MetadataReference> References { get; } =
    [
        .. Basic.Reference.Assemblies.Net80.References.All,
        MetadataReference.CreateFromFile(typeof(MLOps.Runtime.ModelSession).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location),
    ];

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "Consumer",
        sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Program.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<ModelCardFile> files, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new ModelClassGenerator().AsSourceGenerator()],
            files.Select(f => (AdditionalText)f),
            new CSharpParseOptions(LanguageVersion.CSharp12),
            new MetadataOptions(files),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>A model card (or manifest) as MLOps.Build's targets add it to AdditionalFiles.</summary>
    public sealed class ModelCardFile(string path, string text, string kind, string modelName, string? className = null, string ns = "Contoso.Models", string visibility = "public")
        : AdditionalText
    {
        public override string Path { get; } = path;

        public Dictionary<string, string> Metadata { get; } = new()
        {
            ["build_metadata.AdditionalFiles.MLOpsKind"] = kind,
            ["build_metadata.AdditionalFiles.MLOpsModelName"] = modelName,
            ["build_metadata.AdditionalFiles.MLOpsClassName"] = className ?? modelName,
            ["build_metadata.AdditionalFiles.MLOpsNamespace"] = ns,
            ["build_metadata.AdditionalFiles.MLOpsVisibility"] = visibility,
        };

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);

        public static ModelCardFile Card(string model, string? className = null, string ns = "Contoso.Models", string visibility = "public") =>
            new(Fixture(model), File.ReadAllText(Fixture(model)), "ModelCard", model, className, ns, visibility);
    }

    private sealed class MetadataOptions(IEnumerable<ModelCardFile> files) : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, ModelCardFile> _files = files.ToDictionary(f => f.Path);

        public override AnalyzerConfigOptions GlobalOptions => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            _files.TryGetValue(textFile.Path, out var file) ? new Options(file.Metadata) : Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}

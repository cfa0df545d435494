extern alias Generators;

using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;
using MLOps.Runtime.Compiled;
using CardParser = Generators::MLOps.Build.Generators.ModelClasses.ModelCardParser;
using ClassEmitter = Generators::MLOps.Build.Generators.ModelClasses.ModelClassEmitter;
using ModelFile = Generators::MLOps.Build.Generators.ModelClasses.ModelFile;

namespace MLOps.Fuzz;

/// <summary>
/// One function per fuzzed component, taking the fuzzer's bytes. Each says what it promises for any input: the parser
/// and readers report coded diagnostics and never throw; the card reader either reports MLOPS5xxx or gives a spec whose
/// generated code parses without a syntax error and declares exactly one class; the ONNX compiler either compiles or
/// says why not, and a compiled model runs a row without throwing. A broken promise throws <see cref="FuzzFinding"/>
/// (or lets the unexpected exception escape), which AFL++ records as a crash.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["manifest"] = Manifest,
        ["csv"] = bytes => Data(bytes, "train.csv"),
        ["parquet"] = bytes => Data(bytes, "train.parquet"),
        ["card"] = Card,
        ["onnx"] = Onnx,
    };

    /// <summary>The manifest parser with locations and did-you-mean.</summary>
    public static void Manifest(byte[] bytes)
    {
        var diagnostics = new DiagnosticBag();
        var manifest = ManifestParser.Parse(new FileText("/fuzz/Model.mlmodel.json", bytes), diagnostics);
        if (manifest is null && !diagnostics.HasErrors)
        {
            throw new FuzzFinding("the parser returned no manifest and reported no error");
        }
    }

    private static readonly string DataFolder = Directory.CreateTempSubdirectory("mlops-fuzz-").FullName;

    /// <summary>
    /// A data file as the trainer reads it for a manifest that infers every column: scan, typing, reading, row
    /// filters, the data checks. The label is the column "y" (missing, present, any type).
    /// </summary>
    public static void Data(byte[] bytes, string fileName)
    {
        var data = Path.Combine(DataFolder, fileName);
        File.WriteAllBytes(data, bytes);
        var manifestPath = Path.Combine(DataFolder, "Fuzz.mlmodel.json");
        var diagnostics = new DiagnosticBag();
        var manifest = ManifestParser.Parse(new FileText(manifestPath, Encoding.UTF8.GetBytes(
            $$"""{ "name": "Fuzz", "task": "multiclass", "label": "y", "data": { "train": "{{fileName}}" }, "trainer": "LightGbm", "rows": { "missingLabel": "drop" } }""")), diagnostics)
            ?? throw new FuzzFinding("the fixed manifest did not parse");
        var tables = new ManifestTraining(diagnostics).LoadTables(manifest);
        if (tables is null && !diagnostics.HasErrors)
        {
            throw new FuzzFinding("the reader returned no table and reported no error");
        }
    }

    /// <summary>modelcard.json through the generator's parser and emitter; the C# must parse and declare one class.</summary>
    public static void Card(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var result = CardParser.Parse(new ModelFile(Generators::MLOps.Build.Generators.ModelClasses.ModelFileKind.ModelCard, "/fuzz/modelcard.json", "FuzzModel", "FuzzModel", "Fuzz", "public", text));
        if (result.Model is null)
        {
            return; // MLOPS5002/5003/5004: the card is refused with a diagnostic
        }
        var code = ClassEmitter.Emit(result.Model);
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose));
        var errors = tree.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (errors.Length > 0)
        {
            throw new FuzzFinding($"generated code does not parse: {errors[0]}");
        }
        var types = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>()
            .Where(t => t.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax).ToArray();
        if (types.Length != 1 || types[0].Identifier.Text != "FuzzModel")
        {
            throw new FuzzFinding($"generated code declares {types.Length} top-level types: {string.Join(", ", types.Select(t => t.Identifier.Text))}");
        }
    }

    /// <summary>ONNX bytes through the compiled scorer: compiled (and one row scored) or refused with a reason.</summary>
    public static void Onnx(byte[] bytes)
    {
        if (CompiledModel.TryCompile(bytes, out var model, out var reason))
        {
            model.Run(model.CreateScratch());
        }
        else if (string.IsNullOrEmpty(reason))
        {
            throw new FuzzFinding("the compiler refused the graph without a reason");
        }
    }
}

/// <summary>A promise of a fuzz target broken by some input.</summary>
public sealed class FuzzFinding(string message) : Exception(message);

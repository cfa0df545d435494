using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using MLOps.Build.Generators.Common;

namespace MLOps.Build.Generators.ModelClasses;

/// <summary>
/// Typed model classes from the model cards MLOps.Build passes as AdditionalFiles. Only the pipeline lives here:
/// <see cref="ModelCardParser"/> makes specs, <see cref="ModelClassEmitter"/> writes source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelClassGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellation) => Classify(pair.Left, pair.Right.GetOptions(pair.Left), cancellation))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(TrackingNames.ModelFiles);

        var monitoring = files.Where(static file => file.Kind == ModelFileKind.Monitoring).Collect();
        var models = files
            .Where(static file => file.Kind == ModelFileKind.ModelCard)
            .Combine(monitoring)
            .Select(static (pair, _) => ModelCardParser.Parse(pair.Left, pair.Right.FirstOrDefault(m => m.ModelName == pair.Left.ModelName)?.Text))
            .WithTrackingName(TrackingNames.Models);

        // Generated classes need MLOps.Runtime of their own release or later; without it, or with an older one, one
        // clear diagnostic beats a page of CS0246 or CS1061. Found by assembly identity, not by file name; the value
        // is equatable, so an edit that keeps the references leaves every step after this one cached.
        var runtime = context.CompilationProvider
            .Select(static (compilation, _) => RuntimeReference.Of(compilation.ReferencedAssemblyNames))
            .WithTrackingName(TrackingNames.RuntimeReference);

        context.RegisterSourceOutput(models.Combine(runtime), static (output, pair) =>
        {
            var (result, reference) = pair;
            if (result.Diagnostic is { } diagnostic)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            if (result.Model is not { } model)
            {
                return;
            }
            if (reference.Problem(model.ClassName) is { } problem)
            {
                output.ReportDiagnostic(problem);
            }
            else
            {
                // Model names are unique in a project (MLOPS1009), so this hint is too, even when class names clash (MLOPS5004).
                var hint = (model.Namespace.Length > 0 ? model.Namespace + "." : "") + model.ClassName
                    + (model.ClassName == model.ModelName ? "" : "." + model.ModelName) + ".g.cs";
                output.AddSource(hint, SourceText.From(ModelClassEmitter.Emit(model), System.Text.Encoding.UTF8));
            }
        });

        var problems = files
            .Collect()
            .Combine(models.Collect())
            .Select(static (pair, _) => FindProjectProblems(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ProjectProblems);
        context.RegisterSourceOutput(problems, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }

    private static ModelFile? Classify(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellation)
    {
        if (!options.TryGetValue("build_metadata.AdditionalFiles.MLOpsKind", out var kindName) || ParseKind(kindName) is not { } kind)
        {
            return null;
        }
        string Metadata(string name) => options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) ? value : "";
        var modelName = Metadata("MLOpsModelName");
        var className = Metadata("MLOpsClassName");
        var visibility = Metadata("MLOpsVisibility");
        return new ModelFile(kind, text.Path, modelName, className.Length > 0 ? className : modelName, Metadata("MLOpsNamespace"),
            visibility.Length > 0 ? visibility : "public",
            kind is ModelFileKind.ModelCard or ModelFileKind.Monitoring ? text.GetText(cancellation)?.ToString() : null);
    }

    private static ModelFileKind? ParseKind(string name) => name switch
    {
        ProjectFiles.ModelCard => ModelFileKind.ModelCard,
        ProjectFiles.Monitoring => ModelFileKind.Monitoring,
        ProjectFiles.Manifest => ModelFileKind.Manifest,
        _ => null,
    };

    /// <summary>Manifests without a card (not trained yet: an IDE build before the first real one), and class name clashes.</summary>
    private static EquatableArray<DiagnosticSpec> FindProjectProblems(ImmutableArray<ModelFile> files, ImmutableArray<ModelParseResult> models)
    {
        var problems = new List<DiagnosticSpec>();
        var carded = new HashSet<string>(files.Where(f => f.Kind == ModelFileKind.ModelCard).Select(f => f.ModelName), StringComparer.Ordinal);
        foreach (var manifest in files.Where(f => f.Kind == ModelFileKind.Manifest && !carded.Contains(f.ModelName)))
        {
            problems.Add(new DiagnosticSpec(DiagnosticDescriptors.ModelCardMissing, manifest.Path, new[] { manifest.ModelName }.ToEquatableArray()));
        }
        foreach (var clash in models.Where(m => m.Model is not null).Select(m => m.Model!)
                     .GroupBy(m => m.Namespace + "." + m.ClassName).Where(g => g.Count() > 1))
        {
            problems.Add(new DiagnosticSpec(DiagnosticDescriptors.IdentifierCollision, "",
                new[] { $"Models {string.Join(", ", clash.Select(m => $"'{m.ModelName}'").OrderBy(n => n, StringComparer.Ordinal))} would all generate the class '{clash.Key.TrimStart('.')}'; set a ClassName or Namespace on their MLModel items" }.ToEquatableArray()));
        }
        return problems.ToEquatableArray();
    }

}

/// <summary>Names of the pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string ModelFiles = nameof(ModelFiles);
    public const string Models = nameof(Models);
    public const string ProjectProblems = nameof(ProjectProblems);
    public const string RuntimeReference = nameof(RuntimeReference);
}

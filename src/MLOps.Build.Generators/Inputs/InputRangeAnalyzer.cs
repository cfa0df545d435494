using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using MLOps.Build.Generators.Common;
using MLOps.Build.Generators.ModelClasses;

namespace MLOps.Build.Generators.Inputs;

/// <summary>
/// A constant assigned to a generated <c>Input</c> property that the model never saw in training: a number
/// outside the training range (MLOPS6001) or an unknown category (MLOPS6002). The ranges come from the model cards.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InputRangeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.OutsideTrainingRange, DiagnosticDescriptors.UnseenCategory);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var inputs = ReadInputs(start.Options, start.CancellationToken);
            if (inputs.Count > 0)
            {
                start.RegisterOperationAction(operation => Analyze(operation, inputs), OperationKind.SimpleAssignment);
            }
        });
    }

    /// <summary>"Namespace.Class.Input" → property → its training statistics.</summary>
    private static Dictionary<string, Dictionary<string, InputSpec>> ReadInputs(AnalyzerOptions options, CancellationToken cancellation)
    {
        var result = new Dictionary<string, Dictionary<string, InputSpec>>(StringComparer.Ordinal);
        foreach (var (file, modelName, config) in ProjectFiles.OfKind(options, ProjectFiles.ModelCard))
        {
            var className = ProjectFiles.Metadata(config, "MLOpsClassName");
            className = className.Length > 0 ? className : modelName;
            var ns = ProjectFiles.Metadata(config, "MLOpsNamespace");
            if (file.GetText(cancellation) is not { } text)
            {
                continue;
            }
            var parsed = Parse(text, new ModelFile(ModelFileKind.ModelCard, file.Path, modelName, className, ns, "public", null));
            if (parsed.Model is { } model)
            {
                result[(ns.Length > 0 ? ns + "." : "") + className + ".Input"] =
                    model.Inputs.Where(i => i.Statistics is not null).ToDictionary(i => i.Property, StringComparer.Ordinal);
            }
        }
        return result;
    }

    /// <summary>
    /// The IDE starts a compilation on every edit while the cards stay the same: parse each card text once. Texts are
    /// immutable, so a changed card is a new key.
    /// </summary>
    private static readonly ConditionalWeakTable<SourceText, ParsedCard> Cards = new();

    private sealed record ParsedCard(ModelFile File, ModelParseResult Result);

    private static ModelParseResult Parse(SourceText text, ModelFile file)
    {
        var cached = Cards.GetValue(text, _ => new ParsedCard(file, ModelCardParser.Parse(file with { Text = text.ToString() })));
        // Same card under other item metadata (a renamed class): rare, parse without caching.
        return cached.File == file ? cached.Result : ModelCardParser.Parse(file with { Text = text.ToString() });
    }

    private static void Analyze(OperationAnalysisContext context, Dictionary<string, Dictionary<string, InputSpec>> inputs)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property }
            || !inputs.TryGetValue(property.ContainingType.ToDisplayString(), out var properties)
            || !properties.TryGetValue(property.Name, out var input)
            || input.Statistics is not { } statistics)
        {
            return;
        }
        var constant = assignment.Value.ConstantValue;
        if (!constant.HasValue || constant.Value is null)
        {
            return; // Not a literal, or null: a missing value, which the model handles.
        }
        var className = property.ContainingType.ContainingType?.Name ?? property.ContainingType.Name;
        var location = assignment.Value.Syntax.GetLocation();
        switch (constant.Value)
        {
            case string category when statistics.CategoriesComplete && statistics.Categories.Count > 0:
                if (category.Length > 0 && !statistics.Categories.Contains(category))
                {
                    var known = string.Join(", ", statistics.Categories.Take(10).Select(c => "\"" + c + "\""))
                        + (statistics.Categories.Count > 10 ? $" and {statistics.Categories.Count - 10} more" : "");
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnseenCategory, location,
                        Common.DiagnosticArguments.Shown([className + ".Input", property.Name, category, input.Column, known])));
                }
                break;
            case bool:
                break;
            case IConvertible number when statistics is { Min: { } min, Max: { } max }:
                var value = number.ToDouble(CultureInfo.InvariantCulture);
                // The card rounds nothing at the ends, but the property is a float: compare at float precision.
                if (!double.IsNaN(value) && ((float)value < (float)min || (float)value > (float)max))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OutsideTrainingRange, location,
                        Common.DiagnosticArguments.Shown([className + ".Input", property.Name, number.ToString(CultureInfo.InvariantCulture), Format(min), Format(max), input.Column])));
                }
                break;
        }
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

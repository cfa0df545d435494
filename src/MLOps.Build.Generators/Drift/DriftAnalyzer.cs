using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MLOps.Build.Generators.Common;
using MLOps.Shared;
using static MLOps.Build.Generators.Common.JsonObject;

namespace MLOps.Build.Generators.Drift;

/// <summary>
/// Drift as compiler diagnostics, from the drift.json files the build writes and the model cards: drifting
/// features, dataset drift, unseen categories, changed missing rates (MLOPS4001–4006), gates on the accuracy
/// estimated without labels (MLOPS4007), and models trained on other data than the manifest now pins. Reads only AdditionalFiles.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DriftAnalyzer : DiagnosticAnalyzer
{
    /// <summary>A change in the share of missing values that is worth a warning.</summary>
    public const double MissingRateChange = 0.1;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.FeatureDrift, DiagnosticDescriptors.DatasetDrift, DiagnosticDescriptors.UnseenCategories,
        DiagnosticDescriptors.StaleModel, DiagnosticDescriptors.DriftReportUnreadable, DiagnosticDescriptors.MissingRateChanged,
        DiagnosticDescriptors.EstimateGateFailed);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationAction(Analyze);
    }

    private static void Analyze(CompilationAnalysisContext context)
    {
        var severities = new Dictionary<string, ReportDiagnostic>();
        void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
        {
            if (!severities.TryGetValue(descriptor.Id, out var configured))
            {
                severities[descriptor.Id] = configured = ConfiguredSeverity.Of(context.Compilation, descriptor.Id, context.CancellationToken);
            }
            if (ConfiguredSeverity.Create(descriptor, location, configured, arguments) is { } diagnostic)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }

        foreach (var (file, _, _) in ProjectFiles.OfKind(context.Options, ProjectFiles.DriftReport))
        {
            var (report, problem) = DriftReportParser.Parse(file.GetText(context.CancellationToken)?.ToString() ?? "");
            if (report is null)
            {
                Report(DiagnosticDescriptors.DriftReportUnreadable, ProjectFiles.At(file.Path, 1, 1), file.Path, problem);
                continue;
            }
            ReportDrift(report, Report);
        }

        var manifests = ProjectFiles.OfKind(context.Options, ProjectFiles.Manifest).ToDictionary(m => m.ModelName, m => m.File, StringComparer.Ordinal);
        foreach (var (card, modelName, _) in ProjectFiles.OfKind(context.Options, ProjectFiles.ModelCard))
        {
            if (manifests.TryGetValue(modelName, out var manifest))
            {
                CheckStale(modelName, card.GetText(context.CancellationToken)?.ToString(), manifest, context.CancellationToken, Report);
            }
        }
    }

    private static void ReportDrift(DriftReportSpec report, Action<DiagnosticDescriptor, Location, object?[]> reportDiagnostic)
    {
        foreach (var feature in report.Features)
        {
            var at = ProjectFiles.At(feature.Location.Path, feature.Location.Line, feature.Location.Column);
            if (feature.Drifted)
            {
                var psi = feature.Method != "psi" && feature.Psi is { } value ? "; PSI " + Format(value) : "";
                reportDiagnostic(DiagnosticDescriptors.FeatureDrift, at,
                    [feature.Feature, report.Model, feature.Statistic, Format(feature.Value ?? double.NaN), Format(feature.Threshold), report.CurrentPath, psi]);
            }
            if (feature.UnseenCategories.Count > 0)
            {
                var shown = string.Join(", ", feature.UnseenCategories.Take(10).Select(c => "\"" + c + "\""))
                    + (feature.UnseenCategories.Count > 10 ? $" and {feature.UnseenCategories.Count - 10} more" : "");
                reportDiagnostic(DiagnosticDescriptors.UnseenCategories, at,
                    [feature.Feature, report.Model, feature.UnseenCategories.Count, feature.UnseenRows, report.CurrentPath, shown]);
            }
            if (Math.Abs(feature.CurrentMissingRate - feature.ReferenceMissingRate) >= MissingRateChange)
            {
                reportDiagnostic(DiagnosticDescriptors.MissingRateChanged, at,
                    [feature.Feature, report.Model, Percent(feature.CurrentMissingRate), report.CurrentPath, Percent(feature.ReferenceMissingRate)]);
            }
        }
        foreach (var gate in report.Estimate?.Gates ?? EquatableArray<EstimateGateSpec>.Empty)
        {
            if (!gate.Passed)
            {
                var estimate = report.Estimate!;
                var bounds = (gate.Min is { } min ? "min " + Format(min) : "") + (gate.Min is not null && gate.Max is not null ? ", " : "")
                    + (gate.Max is { } max ? "max " + Format(max) : "");
                reportDiagnostic(DiagnosticDescriptors.EstimateGateFailed, ProjectFiles.At(gate.Location.Path, gate.Location.Line, gate.Location.Column),
                    [report.Model, estimate.Metric, Format(estimate.Value ?? double.NaN), Format(estimate.Margin ?? double.NaN), estimate.Rows, report.CurrentPath,
                        bounds, estimate.Refused is { } reason ? "; no estimate: " + reason : ""]);
            }
        }
        if (report.DatasetDrift)
        {
            var names = TextLimits.List(report.Features.Where(f => f.Drifted).Select(f => f.Feature).ToArray());
            reportDiagnostic(DiagnosticDescriptors.DatasetDrift, ProjectFiles.At(report.Location.Path, report.Location.Line, report.Location.Column),
                [report.Model, report.FeaturesDrifted, report.FeaturesChecked, names, Percent(report.Share)]);
        }
    }

    /// <summary>The card records the hashes of the data the model learned from; the manifest pins what it should learn from.</summary>
    private static void CheckStale(string modelName, string? cardText, AdditionalText manifest, CancellationToken cancellation,
        Action<DiagnosticDescriptor, Location, object?[]> report)
    {
        // Imported models have no training data; unreadable cards are the generator's MLOPS5002 and unreadable
        // manifests the build's MLOPS1002.
        if (cardText is null || JsonObject.TryParse(cardText) is not { } card
            || Get(card, ModelCardKeys.Data) is not MiniJsonObject trained
            || JsonObject.TryParse(manifest.GetText(cancellation)?.ToString() ?? "") is not { } manifestRoot
            || Get(manifestRoot, ManifestKeys.Data) is not MiniJsonObject pinnedFiles)
        {
            return;
        }
        foreach (var role in new[] { ManifestKeys.Train, ManifestKeys.Test })
        {
            if (Get(trained, role) is MiniJsonObject trainedFile && Get(trainedFile, ModelCardKeys.DataFiles.Sha256) is string trainedHash
                && Get(pinnedFiles, role) is MiniJsonObject pinnedFile && Get(pinnedFile, ManifestKeys.Sha256) is string pinnedHash
                && !string.Equals(pinnedHash, trainedHash, StringComparison.OrdinalIgnoreCase))
            {
                var (line, column) = pinnedFiles.PositionOf(role);
                report(DiagnosticDescriptors.StaleModel, ProjectFiles.At(manifest.Path, line, column),
                    [modelName, Get(trainedFile, ModelCardKeys.DataFiles.Path) as string ?? role, Short(trainedHash), Short(pinnedHash)]);
            }
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash.Substring(0, 12) : hash;

    private static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(Math.Abs(value) < 0.001 && value != 0 ? "0.##E+0" : "0.###", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}

using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Drift;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Estimation;
using MLOps.Build.Trainer.Training;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Drift;

/// <param name="ArtifactsDirectory">Holds the model card; receives drift.json.</param>
/// <param name="InputsFingerprint">The drift fingerprint computed by the build, stored in the report.</param>
public sealed record DriftRequest(string ManifestPath, string ArtifactsDirectory, string InputsFingerprint);

/// <summary>manifest + model card → training data and current data → per-feature statistics → drift.json.</summary>
public sealed class DriftCommand(DiagnosticBag diagnostics)
{
    public bool Run(DriftRequest request)
    {
        var manifest = ManifestParser.ParseFile(request.ManifestPath, diagnostics);
        if (manifest?.Drift?.Current is not { } currentFile)
        {
            return manifest is not null && Fail(manifest, "the manifest names no drift.current file.");
        }
        var card = ReadCard(Path.Combine(request.ArtifactsDirectory, ArtifactNames.ModelCard), manifest);
        if (card is null)
        {
            return false;
        }

        var currentPath = currentFile.FullPath(manifest.DirectoryPath);
        if (manifest.Train is null || manifest.Label is null)
        {
            diagnostics.Add(D.DriftNeedsTrainingData, manifest.Drift.Location,
                $"{manifest.Name} is an imported ONNX model without 'data.train' and 'label': there is no training data to compare '{currentFile.DisplayName}' with, so drift is not checked.");
            Write(request, Report(manifest, card, request, currentFile, 0, []));
            return true;
        }

        var rows = new ManifestTraining(diagnostics).LoadTrainingRows(manifest);
        if (rows is null)
        {
            return false;
        }
        var checkedFeatures = rows.Features.Where(DriftColumns.IsChecked).ToArray();
        var reference = new TrainingTable(rows.Path, checkedFeatures.Select(DriftColumns.Comparable).ToArray(), rows.Label, rows.RowCount);
        var settings = Settings(manifest, reference);
        var current = CurrentFeatures(manifest, rows.Features, currentPath, currentFile);
        if (settings is null || current is null)
        {
            return false;
        }
        var (allCurrent, currentRows, currentHeaders) = current.Value;
        var currentColumns = rows.Features.Select((f, i) => (f, i)).Where(p => DriftColumns.IsChecked(p.f)).Select(p => DriftColumns.Comparable(allCurrent[p.i]!)).ToArray();

        var edges = card.Inputs.ToDictionary(i => i.Column, i => i.Statistics?.Histogram?.Edges, StringComparer.Ordinal);
        var features = FeatureDriftCalculator.CompareAll(
            reference.Features.Select(FeatureSample.From).ToArray(), currentColumns,
            reference.Features.Select(f => edges.GetValueOrDefault(f.Name)).ToArray(),
            settings.Select(s => s.Settings).ToArray(), settings.Select(s => s.Location).ToArray());

        var estimator = new CurrentDataEstimate(diagnostics);
        var estimate = estimator.Estimate(manifest, card, request.ArtifactsDirectory, rows, allCurrent, currentRows);
        var currentSet = DataFileSet.Of(currentFile, manifest.DirectoryPath);
        var production = currentHeaders.Contains(MLOps.Shared.CaptureLayout.TimeColumn, StringComparer.Ordinal)
            && ProductionWindows.ReadCapture(manifest, currentSet, currentPath, currentFile.PathLocation) is var (times, keys) && times.Length == currentRows
            ? ProductionWindows.Compute(times, keys, reference.Features.Select(FeatureSample.From).ToArray(), currentColumns,
                reference.Features.Select(f => edges.GetValueOrDefault(f.Name)).ToArray(), estimator.Scored,
                estimate?.Refused is null ? card.Calibration : null, ProductionWindows.ReadOutcomes(currentSet))
            : null;
        var report = Report(manifest, card, request, currentFile, currentRows, features) with { Estimate = estimate, Production = production };
        Write(request, report);
        var drifting = features.Where(f => f.Drifted).Select(f => f.Feature).ToArray();
        diagnostics.Add(D.DriftChecked, FileLocation.File(manifest.Path),
            $"{manifest.Name}: drift checked, {currentRows} current rows against {reference.RowCount} training rows: " +
            (drifting.Length == 0 ? "no feature drifts." : $"{drifting.Length} of {features.Length} features drift ({TextLimits.List(drifting)}){(report.DatasetDrift ? ", dataset drift" : "")}."));
        return !diagnostics.HasErrors;
    }

    /// <summary>Each feature's method and threshold, and where its diagnostic points; null after reporting a problem.</summary>
    private (FeatureDriftSettings Settings, ReportLocation Location)[]? Settings(ModelManifest manifest, TrainingTable reference)
    {
        var drift = manifest.Drift!;
        var ok = true;
        foreach (var unknown in drift.Features.Where(f => reference.Features.All(c => c.Name != f.Name)))
        {
            diagnostics.Add(D.DriftFeatureNotInModel, unknown.Location,
                $"drift.features names '{unknown.Name}', which is not a feature of {manifest.Name}.{Text.Suggestions.DidYouMean(unknown.Name, reference.Features.Select(f => f.Name))}");
            ok = false;
        }
        var result = new (FeatureDriftSettings, ReportLocation)[reference.Features.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var feature = reference.Features[i];
            var numeric = feature.Kind == ColumnKind.Float;
            var own = drift.Features.LastOrDefault(f => f.Name == feature.Name);
            var requested = own?.Method ?? drift.Method;
            if (!DriftMethods.Applies(requested, numeric))
            {
                diagnostics.Add(D.DriftMethodNotApplicable, own?.Method is null ? drift.Location : own.Location,
                    $"Drift method '{requested}' does not apply to {feature.Kind.ToName()} feature '{feature.Name}'; use one of {string.Join(", ", numeric ? DriftMethods.Numeric : DriftMethods.Categorical)}.");
                ok = false;
                continue;
            }
            var method = DriftMethods.Resolve(requested, numeric, feature.Count);
            // The section-wide threshold belongs to the section-wide method; "auto" may pick tests and distances alike.
            var threshold = own?.Threshold ?? (own?.Method is null && drift.Method != DriftMethods.Auto ? drift.Threshold : null) ?? DriftMethods.DefaultThreshold(method);
            var location = own?.Location ?? manifest.Columns.LastOrDefault(c => c.Column == feature.Name)?.Location ?? drift.Location;
            result[i] = (new FeatureDriftSettings(method, threshold), new ReportLocation(location.Path, location.Line, location.Column));
        }
        return ok ? result : null;
    }

    /// <summary>
    /// The current file read with the features' own types (text as text); a feature the drift check compares must be
    /// there, one it does not compare (a date) may be missing (null: the estimate is then refused).
    /// </summary>
    private (FeatureColumn?[] Columns, int Rows, IReadOnlyList<string> Headers)? CurrentFeatures(ModelManifest manifest, IReadOnlyList<FeatureColumn> features, string currentPath, DataFileReference file)
    {
        var schema = features.Select(f => (f.Name, f.Kind)).ToArray();
        var read = new ColumnTyper(manifest, diagnostics).ReadFeatures(DataFileSet.Of(file, manifest.DirectoryPath), currentPath, file.PathLocation, schema);
        if (read is not { } current)
        {
            return null;
        }
        var missing = current.Features.Select((c, i) => (c, i)).Where(p => p.c is null && DriftColumns.IsChecked(features[p.i])).Select(p => schema[p.i].Name).ToArray();
        foreach (var name in missing)
        {
            diagnostics.Add(D.CurrentDataMissesFeature, file.PathLocation,
                $"Current data '{file.DisplayName}' has no column '{name}', a feature of {manifest.Name}.{Text.Suggestions.DidYouMean(name, current.Headers)}");
        }
        return missing.Length > 0 ? null : (current.Features, current.Rows, current.Headers);
    }

    private ModelCard? ReadCard(string path, ModelManifest manifest)
    {
        try
        {
            var card = ArtifactJson.Read(path, ArtifactJson.ModelCard);
            if (card is not null && MLOps.Shared.ModelCardKeys.IsReadable(card.SchemaVersion))
            {
                return card;
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            Fail(manifest, $"the model card '{path}' cannot be read ({ex.Message}).");
            return null;
        }
        Fail(manifest, $"the model card '{path}' has an unknown schema version.");
        return null;
    }

    private static DriftReport Report(ModelManifest manifest, ModelCard card, DriftRequest request, DataFileReference currentFile,
        long currentRows, IReadOnlyList<FeatureDriftCard> features)
    {
        var drift = manifest.Drift!;
        var drifted = features.Count(f => f.Drifted);
        var train = card.Data?.Train;
        return new DriftReport(DriftReport.CurrentSchemaVersion, manifest.Name, request.InputsFingerprint, card.Fingerprint,
            new DriftDataCard(train?.Path ?? manifest.Onnx?.RelativePath ?? "", train?.Sha256, features.FirstOrDefault()?.ReferenceRows ?? 0) { Query = train?.Query },
            new DriftDataCard(currentFile.CardPath, currentFile.Sha256, currentRows) { Query = QuerySourceCard.Of(currentFile) },
            drift.Method, drift.Share, features.Count, drifted,
            features.Count > 0 && drifted >= drift.Share * features.Count,
            new ReportLocation(drift.Location.Path, drift.Location.Line, drift.Location.Column), features);
    }

    private static void Write(DriftRequest request, DriftReport report) =>
        ArtifactJson.Write(Path.Combine(request.ArtifactsDirectory, ArtifactNames.DriftReport), report, ArtifactJson.DriftReport);

    private bool Fail(ModelManifest manifest, string reason)
    {
        diagnostics.Add(D.DriftCheckFailed, FileLocation.File(manifest.Path), $"Cannot check drift for {manifest.Name}: {reason}");
        return false;
    }
}

using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Artifacts;
using MLOps.Build.Comparisons;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;

namespace MLOps.Build.Trainer.Comparisons;

/// <summary>
/// Scores this build's test rows with the accepted model (the lock file's, which the build put in the
/// <see cref="ArtifactNames.Accepted"/> folder) and with the new one, both through ONNX Runtime as they ship, and
/// gives each metric's difference a paired bootstrap interval. Comparing on the same rows is what makes the
/// difference the models' and not the test sets': after the data changed, the lock's metrics were measured on other rows.
/// </summary>
public sealed class AcceptedModelComparer(ModelManifest manifest)
{
    /// <summary>The intervals' coverage.</summary>
    public const double Level = 0.95;

    /// <summary>
    /// How far a metric measured here from the new model's scores may be from ML.NET's value on the same rows (relative,
    /// at least absolute): a metric whose definition here does not reproduce ML.NET's gets no interval rather than a wrong one.
    /// </summary>
    public const double AgreementTolerance = 1e-3;

    /// <param name="candidateMetrics">The new model's test-set metrics as ML.NET measured them.</param>
    public ModelComparison Compare(string acceptedDirectory, string fingerprint, TrainingTable test, OnnxScoring candidate,
        IReadOnlyList<string> candidateClasses, IReadOnlyDictionary<string, double> candidateMetrics)
    {
        ModelCard card;
        byte[] onnx;
        try
        {
            card = ArtifactJson.Read(Path.Combine(acceptedDirectory, ArtifactNames.ModelCard), ArtifactJson.ModelCard);
            onnx = File.ReadAllBytes(Path.Combine(acceptedDirectory, ArtifactNames.Onnx));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return Unavailable(fingerprint, "", "", $"the accepted model cannot be read ({ex.Message})");
        }
        var acceptedSha256 = FileHash.Sha256(onnx);
        ModelComparison Problem(string problem) => Unavailable(fingerprint, card.Fingerprint, acceptedSha256, problem);
        if (card.Task != manifest.Task.ToName())
        {
            return Problem($"the accepted model is a {card.Task} model, this one {manifest.Task.ToName()}");
        }
        var (rows, missing) = AcceptedRows(card, test);
        if (rows is null)
        {
            return Problem(missing!);
        }
        var classes = candidateClasses.Union(card.Classes).Union(test.Label.Classes?.Values ?? []).ToArray();
        ScoredRows current, accepted;
        try
        {
            using var scoring = new OnnxScoring(onnx);
            accepted = ScoredRowsReader.Read(manifest.Task, scoring, rows, card.Classes, classes);
            current = ScoredRowsReader.Read(manifest.Task, candidate, test, candidateClasses, classes);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InvalidCastException or KeyNotFoundException)
        {
            return Problem($"the accepted model cannot score these rows ({ex.Message})");
        }

        var all = Enumerable.Repeat(1, test.RowCount).ToArray();
        var names = new List<string>();
        var pairs = new List<(ResampledMetric, ResampledMetric)>();
        foreach (var name in MetricCatalog.For(manifest.Task))
        {
            if (candidateMetrics.TryGetValue(name, out var measured) && current.Metric(name) is { } now && accepted.Metric(name) is { } before
                && Math.Abs(now.Value(all) - measured) <= AgreementTolerance * Math.Max(1, Math.Abs(measured)))
            {
                names.Add(name);
                pairs.Add((before, now));
            }
        }
        var resamples = PairedBootstrap.ResamplesFor(test.RowCount);
        var intervals = pairs.Count == 0 ? [] : PairedBootstrap.Intervals(pairs, test.RowCount, Level, resamples, manifest.Seed);
        var metrics = new SortedDictionary<string, MetricComparison>(StringComparer.Ordinal);
        for (var m = 0; m < names.Count; m++)
        {
            if (intervals[m] is { } interval)
            {
                metrics[names[m]] = MetricComparison.From(pairs[m].Item1.Value(all), interval);
            }
        }
        return new ModelComparison(ModelComparison.CurrentSchemaVersion, fingerprint, card.Fingerprint, acceptedSha256,
            test.RowCount, Level, resamples, manifest.Seed, metrics, null);
    }

    /// <summary>The test rows as the accepted model reads them: its own columns, with its own preprocessing.</summary>
    private static (TrainingTable? Rows, string? Problem) AcceptedRows(ModelCard card, TrainingTable test)
    {
        var byName = test.Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var features = new List<FeatureColumn>();
        foreach (var input in card.Inputs)
        {
            if (!byName.TryGetValue(input.Column, out var feature))
            {
                return (null, $"the accepted model reads column '{input.Column}', which this model's test rows do not have");
            }
            if (feature.Kind.ToName() != input.Kind)
            {
                return (null, $"the accepted model reads column '{input.Column}' as {input.Kind}, this model as {feature.Kind.ToName()}");
            }
            features.Add(new FeatureColumn(feature.Name, feature.Kind, feature.Numbers, feature.Categories)
            {
                Settings = feature.Settings,
                Preprocessing = FeaturePreprocessing.FromCard(input.Preprocessing, feature.IsNumeric),
            });
        }
        return (new TrainingTable(test.Path, features, test.Label, test.RowCount), null);
    }

    private static ModelComparison Unavailable(string fingerprint, string acceptedFingerprint, string acceptedSha256, string problem) =>
        new(ModelComparison.CurrentSchemaVersion, fingerprint, acceptedFingerprint, acceptedSha256, 0, Level, 0, 0,
            new Dictionary<string, MetricComparison>(), problem);
}

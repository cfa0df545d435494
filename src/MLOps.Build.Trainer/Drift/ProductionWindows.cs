using System.Globalization;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Drift;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Estimation;
using static MLOps.Shared.CaptureLayout;

namespace MLOps.Build.Trainer.Drift;

/// <summary>
/// The drift report's production section: current data captured by a running service (its files carry
/// <c>mlops_time</c>, and <c>mlops_key</c> for keyed predictions) cut into windows of equal time, each compared with the
/// training data (PSI per feature), with the accuracy estimated without labels and, where the service captured outcomes
/// (the folder <c>outcomes/</c> beside the files), the accuracy realized. Shows when drift began and whether the estimate
/// followed the truth.
/// </summary>
public static class ProductionWindows
{
    /// <summary>Windows a capture is cut into at most (fewer when its rows span no time).</summary>
    public const int MaximumWindows = 10;


    /// <summary>Each current row's capture time and key; null when the data was not captured (no <c>mlops_time</c>).</summary>
    public static (DateTime[] Times, string?[] Keys)? ReadCapture(ModelManifest manifest, DataFileSet files, string displayPath, FileLocation location)
    {
        var quiet = new DiagnosticBag();
        var read = new ColumnTyper(manifest, quiet).ReadFeatures(files, displayPath, location, [(TimeColumn, ColumnKind.Category), (KeyColumn, ColumnKind.Category)]);
        if (read is not { } columns || columns.Features[0]?.Categories is not { } times)
        {
            return null;
        }
        var parsed = new DateTime[times.Count];
        for (var row = 0; row < parsed.Length; row++)
        {
            if (times[row] is not { } text || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out parsed[row]))
            {
                return null;
            }
        }
        var keys = columns.Features[1]?.Categories is { } k ? Enumerable.Range(0, k.Count).Select(r => k[r]).ToArray() : new string?[parsed.Length];
        return (parsed, keys);
    }

    /// <summary>The outcomes captured beside a capture folder, by key (the last of a key wins); empty when none.</summary>
    public static Dictionary<string, string> ReadOutcomes(DataFileSet files)
    {
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        var folder = Path.Combine(files.BaseDirectory, OutcomesFolder);
        if (!Directory.Exists(folder))
        {
            return outcomes;
        }
        foreach (var file in Directory.GetFiles(folder, "*.parquet").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            var quiet = new DiagnosticBag();
            var read = DataFileReader.Read(file, file, FileLocation.File(file),
                [ColumnTyper.Request(KeyColumn, ColumnKind.Category), ColumnTyper.Request(OutcomeColumn, ColumnKind.Category)], quiet);
            if (read?.Columns[0]?.Categories is not { } keys || read.Columns[1]?.Categories is not { } values)
            {
                continue;
            }
            for (var row = 0; row < keys.Count; row++)
            {
                if (keys[row] is { } key && values[row] is { } value)
                {
                    outcomes[key] = value;
                }
            }
        }
        return outcomes;
    }

    /// <param name="references">The training data of each compared feature.</param>
    /// <param name="current">The current data of each compared feature, made comparable.</param>
    /// <param name="edges">Each feature's training histogram edges (numeric PSI).</param>
    /// <param name="scored">Each current row's confidence and predicted label; null for a model without an estimate.</param>
    /// <param name="calibration">The card's calibration the estimate applies; null: no estimate per window.</param>
    public static ProductionCard Compute(DateTime[] times, string?[] keys, IReadOnlyList<FeatureSample> references, IReadOnlyList<FeatureColumn> current,
        IReadOnlyList<IReadOnlyList<double>?> edges, (float[] Confidence, string?[] Predicted)? scored, CalibrationCard? calibration,
        IReadOnlyDictionary<string, string> outcomes)
    {
        var first = times.Min();
        var last = times.Max();
        var span = last - first;
        var count = span > TimeSpan.Zero ? MaximumWindows : 1;
        var members = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        for (var row = 0; row < times.Length; row++)
        {
            members[span > TimeSpan.Zero ? Math.Min(count - 1, (int)((times[row] - first).Ticks * (double)count / span.Ticks)) : 0].Add(row);
        }

        var windows = new List<ProductionWindowCard>();
        long withOutcome = 0;
        for (var w = 0; w < count; w++)
        {
            if (members[w].Count == 0)
            {
                continue;
            }
            var rows = members[w].ToArray();
            var psi = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var f = 0; f < references.Count; f++)
            {
                var card = FeatureDriftCalculator.Compare(references[f], FeatureSample.From(current[f].Select(rows)), edges[f],
                    new FeatureDriftSettings(DriftMethods.Psi, DriftMethods.DefaultThreshold(DriftMethods.Psi)), new ReportLocation("", 1, 1));
                if (card.Statistics.Psi is { } value && double.IsFinite(value))
                {
                    psi[references[f].Name] = Math.Round(value, 6);
                }
            }
            var (estimated, realized, outcomeRows) = Accuracy(rows, keys, scored, calibration, outcomes);
            withOutcome += outcomeRows;
            var start = first + TimeSpan.FromTicks(span.Ticks * w / count);
            var end = w == count - 1 ? last : first + TimeSpan.FromTicks(span.Ticks * (w + 1) / count);
            windows.Add(new ProductionWindowCard(Iso(start), Iso(end), rows.Length, psi, estimated, realized, outcomeRows));
        }
        return new ProductionCard(windows, withOutcome);
    }

    private static (double? Estimated, double? Realized, long Outcomes) Accuracy(int[] rows, string?[] keys, (float[] Confidence, string?[] Predicted)? scored,
        CalibrationCard? calibration, IReadOnlyDictionary<string, string> outcomes)
    {
        if (scored is not var (confidence, predicted))
        {
            return (null, null, 0);
        }
        // The window's estimate by the same rule as the whole current data's.
        var estimate = calibration is null ? null : ConfidenceScoring.Estimate(rows.Select(r => confidence[r]).ToArray(), calibration) is { Rows: > 0 } e
            ? Math.Round(e.Value, 6) : (double?)null;
        long right = 0, judged = 0;
        foreach (var row in rows)
        {
            if (keys[row] is { } key && outcomes.TryGetValue(key, out var actual) && predicted[row] is { } label)
            {
                judged++;
                // A binary outcome is captured as a bool ("true"/"false") and predicted as "true"/"false" too.
                right += string.Equals(label, actual, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            }
        }
        return (estimate, judged > 0 ? Math.Round(right / (double)judged, 6) : null, judged);
    }

    private static string Iso(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

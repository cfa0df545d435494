using System.Text;
using MLOps.Build.Hashing;
using MLOps.Build.Json;
using MLOps.Build.Manifest;

namespace MLOps.Build.Fingerprints;

/// <summary>
/// What a trained model depends on: the manifest's training-relevant content (whitespace, comments, key order,
/// gates and drift settings do not count), the bytes of its data files, and the tool's version.
/// Two builds with the same fingerprint produce the same model, so the second one can skip training.
/// </summary>
public static partial class ModelFingerprint
{
    // Gates are checked against the metrics after training, drift against a trained model: neither changes the model.
    private static readonly HashSet<string> NotTrainingInputs = ["gates", "drift", "description", "$schema", "version"];

    public static string Compute(ModelManifest manifest, IReadOnlyDictionary<string, string> dataHashes, string toolVersion)
    {
        var text = new StringBuilder();
        text.Append("mlops-fingerprint-v1\n");
        text.Append("tool=").Append(toolVersion).Append('\n');
        text.Append("manifest=");
        WriteCanonical(manifest.Root, text, topLevel: true);
        text.Append('\n');
        // Current data for the drift check changes without changing the model (see ComputeDrift).
        foreach (var pair in dataHashes.Where(p => p.Key != DataFileReference.DriftCurrentRole).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("data:").Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
        }
        return FileHash.Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// What a drift report depends on: the model, the current data's bytes and the <c>drift</c> section. A new
    /// model or new current data recomputes drift; a formatting change does not.
    /// </summary>
    public static string ComputeDrift(ModelManifest manifest, string modelFingerprint, string currentDataHash, string toolVersion)
    {
        var text = new StringBuilder();
        text.Append("mlops-drift-v1\n");
        text.Append("tool=").Append(toolVersion).Append('\n');
        text.Append("model=").Append(modelFingerprint).Append('\n');
        text.Append("current=").Append(currentDataHash).Append('\n');
        text.Append("drift=");
        var drift = manifest.Root.Find("drift")?.Value;
        if (drift is not null)
        {
            WriteCanonical(drift, text);
        }
        text.Append('\n');
        // Gates on an estimate are judged by the drift check, so they are its inputs too.
        foreach (var gate in manifest.Gates.Where(g => MetricCatalog.IsEstimated(g.Metric)))
        {
            text.Append("gate=").Append(gate.Metric).Append(',').Append(Number(gate.Min)).Append(',').Append(Number(gate.Max)).Append('\n');
        }
        return FileHash.Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string Number(double? value) => value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// What one sweep trial's cross-validated metrics depend on: the training data and how it is read and split
    /// (label, task, columns, exclusions, seed), the trainer and its options, the folds, and the tool. Not the sweep
    /// around it (budget, strategy, metric: a trial computes every metric), nor what only the final model uses
    /// (gates, importance, parity, drift): raising a budget or changing the ranking metric reuses every trial.
    /// </summary>
    /// <param name="trial">The trainer, options and folds in canonical form.</param>
    public static string ComputeTrial(ModelManifest manifest, string trainDataHash, string toolVersion, string trial)
    {
        var text = new StringBuilder();
        text.Append("mlops-trial-v1\n");
        text.Append("tool=").Append(toolVersion).Append('\n');
        text.Append("manifest=");
        WriteCanonical(manifest.Root, text, topLevel: true, NotTrialInputs);
        text.Append('\n');
        text.Append("data:train=").Append(trainDataHash).Append('\n');
        text.Append("trial=").Append(trial).Append('\n');
        return FileHash.Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static readonly HashSet<string> NotTrialInputs =
        [.. NotTrainingInputs, "sweep", "trainer", "name", "importance", "validation", "parityTolerance", "enforce"];

    private static void WriteCanonical(LocatedNode node, StringBuilder text, bool topLevel = false, HashSet<string>? excluded = null)
    {
        switch (node)
        {
            // Pinning rewrites "data/x.csv" as { "path": "data/x.csv", "sha256": … }; the data hashes already count the
            // bytes, so both forms are one input and pinning never retrains.
            case LocatedObject obj when obj.Properties.Where(p => p.Name != "sha256").ToList() is [{ Name: "path", Value: LocatedScalar { Kind: LocatedKind.String } path }]:
                AppendString(path.Text!, text);
                break;
            case LocatedObject obj:
                text.Append('{');
                var first = true;
                foreach (var property in obj.Properties
                             .GroupBy(p => p.Name).Select(g => g.Last())
                             .Where(p => !(topLevel && (excluded ?? NotTrainingInputs).Contains(p.Name)))
                             .OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    // Pinned hashes are accounted for by the data hashes themselves.
                    if (property.Name == "sha256")
                    {
                        continue;
                    }
                    if (!first)
                    {
                        text.Append(',');
                    }
                    first = false;
                    AppendString(property.Name, text);
                    text.Append(':');
                    WriteCanonical(property.Value, text);
                }
                text.Append('}');
                break;
            case LocatedArray array:
                text.Append('[');
                for (var i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    WriteCanonical(array.Items[i], text);
                }
                text.Append(']');
                break;
            case LocatedScalar { Kind: LocatedKind.String } s:
                AppendString(s.Text!, text);
                break;
            case LocatedScalar { Kind: LocatedKind.Number } n:
                text.Append(n.TryGetDouble(out var d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : n.Text);
                break;
            case LocatedScalar s:
                text.Append(s.Text ?? "null");
                break;
        }
    }

    private static void AppendString(string value, StringBuilder text) =>
        text.Append('"').Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
}

using System.Globalization;
using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.IO;

namespace MLOps.Build.Fingerprints;

/// <summary>
/// What changed between the inputs a model was last trained from and the current ones, in words, from the two sets
/// of fingerprint parts (<see cref="ModelFingerprint.Parts"/>): which data file (and by how many rows, where known),
/// which setting (old → new), the tool's version.
/// </summary>
public static class RetrainReason
{
    /// <summary>Changes named one by one; more are counted.</summary>
    public const int Listed = 6;

    /// <param name="previous">The parts of the last training (its model card's); null when it recorded none.</param>
    /// <param name="rows">Each data part's rows before and after (after: null when not known yet).</param>
    public static string Describe(IReadOnlyDictionary<string, string>? previous, IReadOnlyDictionary<string, string> current,
        IReadOnlyDictionary<string, (long Before, long? After)>? rows = null)
    {
        if (previous is null)
        {
            return "its last training recorded no inputs to compare with";
        }
        var changes = new List<string>();
        var names = previous.Keys.Union(current.Keys).ToList();
        // Data first (the usual reason), then settings, then the tool.
        foreach (var name in names.OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal))
        {
            previous.TryGetValue(name, out var before);
            current.TryGetValue(name, out var after);
            if (before == after)
            {
                continue;
            }
            changes.Add(name.StartsWith(ModelFingerprint.DataPartPrefix, StringComparison.Ordinal)
                ? Data(name, before, after, rows)
                : Setting(name, before, after));
        }
        if (changes.Count == 0)
        {
            return "nothing it depends on changed (the artifacts were incomplete)";
        }
        return string.Join("; ", changes.Take(Listed)) + (changes.Count > Listed ? $"; and {changes.Count - Listed} more" : "");
    }

    /// <summary>
    /// Why the model in <paramref name="artifactsDirectory"/> is not current: its card's recorded inputs against the
    /// current ones the resolve step wrote (<see cref="ArtifactNames.InputParts"/>); "never trained" without a card.
    /// </summary>
    public static string ForArtifacts(string artifactsDirectory)
    {
        try
        {
            var cardPath = Path.Combine(artifactsDirectory, ArtifactNames.ModelCard);
            var partsPath = Path.Combine(artifactsDirectory, ArtifactNames.InputParts);
            if (!File.Exists(cardPath))
            {
                return "never trained";
            }
            if (!File.Exists(partsPath))
            {
                return "its inputs changed";
            }
            var card = ArtifactJson.Read(cardPath, ArtifactJson.ModelCard);
            return Describe(card.InputsTrainedFrom, ArtifactJson.Read(partsPath, ArtifactJson.FingerprintParts), RowsOf(card, after: null));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return "its inputs changed (its last training's record cannot be read)";
        }
    }

    /// <summary>Each data file's rows in the last training's card and, when trained already, in the new one.</summary>
    public static IReadOnlyDictionary<string, (long Before, long? After)> RowsOf(ModelCard before, ModelCard? after)
    {
        var rows = new Dictionary<string, (long, long?)>(StringComparer.Ordinal);
        if (before.Data is { } data)
        {
            rows["data.train"] = (data.Train.Rows, after?.Data?.Train.Rows);
            if (data.Test is { } test)
            {
                rows["data.test"] = (test.Rows, after?.Data?.Test?.Rows);
            }
        }
        return rows;
    }

    private static int Rank(string name) =>
        name.StartsWith(ModelFingerprint.DataPartPrefix, StringComparison.Ordinal) ? 0 : name == ModelFingerprint.ToolPart ? 2 : 1;

    private static string Data(string name, string? before, string? after, IReadOnlyDictionary<string, (long Before, long? After)>? rows)
    {
        if (before is null || after is null)
        {
            return before is null ? $"{name} added" : $"{name} removed";
        }
        var count = rows is not null && rows.TryGetValue(name, out var r)
            ? r.After is { } now ? $" ({Number(r.Before)} → {Number(now)} rows, {Signed(now - r.Before)})" : $" (was {Number(r.Before)} rows)"
            : "";
        return $"{name} changed{count}";
    }

    private static string Setting(string name, string? before, string? after)
    {
        var setting = name == ModelFingerprint.ToolPart ? "tool" : name.Substring(ModelFingerprint.ManifestPartPrefix.Length);
        return (before, after) switch
        {
            (null, _) => $"{setting} set to {after}",
            (_, null) => $"{setting} removed (was {before})",
            _ => $"{setting} {before} → {after}",
        };
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Signed(long value) => (value >= 0 ? "+" : "−") + Number(Math.Abs(value));
}

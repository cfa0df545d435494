using System.Text;
using MLOps.Build.Manifest;

namespace MLOps.Build.Locking;

/// <summary>
/// Rewrites the <c>sha256</c> values of a manifest in place: only the bytes of each hash change, so the
/// author's formatting, comments and key order survive. A file given as a bare path string becomes an object.
/// A query's entry gets its snapshot's row count (<c>rows</c>) beside the hash.
/// </summary>
public static class ManifestHashWriter
{
    public static byte[] Rewrite(ModelManifest manifest, IReadOnlyDictionary<DataFileReference, string> newHashes) =>
        Rewrite(manifest, newHashes, new Dictionary<DataFileReference, long>());

    /// <param name="rows">The row count to pin beside the hash of a query's entry.</param>
    public static byte[] Rewrite(ModelManifest manifest, IReadOnlyDictionary<DataFileReference, string> newHashes, IReadOnlyDictionary<DataFileReference, long> rows)
    {
        var bytes = manifest.Source.Bytes;
        var edits = new List<(int Start, int End, string Text)>();
        foreach (var pair in newHashes)
        {
            var file = pair.Key;
            var rowsText = rows.TryGetValue(file, out var count) && file.Query?.PinnedRows != count
                ? count.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : null;
            if (file.Sha256 == pair.Value && rowsText is null)
            {
                continue;
            }
            if (file.Node is Json.LocatedObject obj)
            {
                if (file.Sha256 != pair.Value)
                {
                    edits.Add(SetProperty(manifest, obj, file.Sha256Node, "sha256", Quote(pair.Value)));
                }
                if (rowsText is not null)
                {
                    edits.Add(SetProperty(manifest, obj, file.Query!.RowsNode, "rows", rowsText));
                }
            }
            else
            {
                edits.Add((file.Node.Start, file.Node.End, "{ \"path\": " + Quote(file.RelativePath) + ", \"sha256\": " + Quote(pair.Value) + " }"));
            }
        }

        using var output = new MemoryStream();
        var position = 0;
        foreach (var edit in edits.OrderBy(e => e.Start))
        {
            output.Write(bytes, position, edit.Start - position);
            var text = Encoding.UTF8.GetBytes(edit.Text);
            output.Write(text, 0, text.Length);
            position = edit.End;
        }
        output.Write(bytes, position, bytes.Length - position);
        return output.ToArray();
    }

    /// <summary>Replaces the value, or inserts the property after the last one, matching single- or multi-line style.</summary>
    private static (int Start, int End, string Text) SetProperty(ModelManifest manifest, Json.LocatedObject obj, Json.LocatedNode? existing, string key, string valueText)
    {
        if (existing is not null)
        {
            return (existing.Start, existing.End, valueText);
        }
        var last = obj.Properties[obj.Properties.Count - 1].Value;
        var multiline = manifest.Source.LocationOf(obj.Start).Line != manifest.Source.LocationOf(obj.End).Line;
        var indent = multiline ? "\n" + manifest.Source.IndentOf(obj.Properties[obj.Properties.Count - 1].NameLocation.Line) : " ";
        return (last.End, last.End, "," + indent + "\"" + key + "\": " + valueText);
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

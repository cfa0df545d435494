using System.Text;
using MLOps.Build.Manifest;

namespace MLOps.Build.Locking;

/// <summary>
/// Rewrites the <c>sha256</c> values of a manifest in place: only the bytes of each hash change, so the
/// author's formatting, comments and key order survive. A file given as a bare path string becomes an object.
/// </summary>
public static class ManifestHashWriter
{
    public static byte[] Rewrite(ModelManifest manifest, IReadOnlyDictionary<DataFileReference, string> newHashes)
    {
        var bytes = manifest.Source.Bytes;
        var edits = new List<(int Start, int End, string Text)>();
        foreach (var pair in newHashes)
        {
            var file = pair.Key;
            if (file.Sha256 == pair.Value)
            {
                continue;
            }
            if (file.Sha256Node is { } shaNode)
            {
                edits.Add((shaNode.Start, shaNode.End, Quote(pair.Value)));
            }
            else if (file.Node is Json.LocatedObject obj)
            {
                // Insert after the last property, before the closing brace, matching single- or multi-line style.
                var last = obj.Properties[obj.Properties.Count - 1].Value;
                var multiline = manifest.Source.LocationOf(obj.Start).Line != manifest.Source.LocationOf(obj.End).Line;
                var indent = multiline ? "\n" + manifest.Source.IndentOf(obj.Properties[obj.Properties.Count - 1].NameLocation.Line) : " ";
                edits.Add((last.End, last.End, "," + indent + "\"sha256\": " + Quote(pair.Value)));
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

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

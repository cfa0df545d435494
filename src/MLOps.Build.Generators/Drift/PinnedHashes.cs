namespace MLOps.Build.Generators.Drift;

/// <summary>
/// Finds the sha256 a manifest pins for a data file, by scanning its text: manifests may hold comments and trailing
/// commas, which a strict JSON reader rejects, and only one value is needed.
/// </summary>
internal static class PinnedHashes
{
    /// <returns>The pinned hash and the 1-based line and column of the key, or null when the file is not pinned.</returns>
    public static (string Hash, int Line, int Column)? Find(string manifest, string key)
    {
        var quotedKey = "\"" + key + "\"";
        for (var at = manifest.IndexOf(quotedKey, StringComparison.Ordinal); at >= 0; at = manifest.IndexOf(quotedKey, at + 1, StringComparison.Ordinal))
        {
            var colon = SkipSpace(manifest, at + quotedKey.Length);
            if (colon >= manifest.Length || manifest[colon] != ':')
            {
                continue;
            }
            var open = SkipSpace(manifest, colon + 1);
            if (open >= manifest.Length || manifest[open] != '{')
            {
                return null;
            }
            var close = manifest.IndexOf('}', open);
            var sha = manifest.IndexOf("\"sha256\"", open, StringComparison.Ordinal);
            if (sha < 0 || (close >= 0 && sha > close))
            {
                return null;
            }
            var valueStart = manifest.IndexOf('"', manifest.IndexOf(':', sha) + 1);
            var valueEnd = valueStart < 0 ? -1 : manifest.IndexOf('"', valueStart + 1);
            if (valueEnd < 0)
            {
                return null;
            }
            var (line, column) = LineColumn(manifest, at);
            return (manifest.Substring(valueStart + 1, valueEnd - valueStart - 1), line, column);
        }
        return null;
    }

    private static int SkipSpace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
        return index;
    }

    private static (int Line, int Column) LineColumn(string text, int offset)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }
}

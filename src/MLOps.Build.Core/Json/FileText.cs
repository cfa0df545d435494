using System.Text;
using MLOps.Build.Diagnostics;

namespace MLOps.Build.Json;

/// <summary>UTF-8 text of a file with a line table, so byte offsets become 1-based line and column.</summary>
public sealed class FileText
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private readonly int[] _lineStarts;

    public FileText(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
        BomLength = bytes.Length >= 3 && bytes[0] == Utf8Bom[0] && bytes[1] == Utf8Bom[1] && bytes[2] == Utf8Bom[2] ? 3 : 0;
        var starts = new List<int> { BomLength };
        for (var i = BomLength; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = [.. starts];
    }

    public string Path { get; }

    /// <summary>The whole file, BOM included: rewrites splice into these bytes.</summary>
    public byte[] Bytes { get; }

    public int BomLength { get; }

    public ReadOnlyMemory<byte> Content => new(Bytes, BomLength, Bytes.Length - BomLength);

    /// <summary>The spaces and tabs that start 1-based line <paramref name="line"/>.</summary>
    public string IndentOf(int line)
    {
        var start = _lineStarts[line - 1];
        var end = start;
        while (end < Bytes.Length && Bytes[end] is (byte)' ' or (byte)'\t')
        {
            end++;
        }
        return Encoding.UTF8.GetString(Bytes, start, end - start);
    }

    /// <summary>Location of an offset into <see cref="Bytes"/>; columns count UTF-16 characters, as editors do.</summary>
    public FileLocation LocationOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }
        line = Math.Max(0, line);
        var start = _lineStarts[line];
        var column = Encoding.UTF8.GetCharCount(Bytes, start, Math.Max(0, offset - start)) + 1;
        return new FileLocation(Path, line + 1, column);
    }
}

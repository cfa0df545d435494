namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>
/// Word to id, looked up by a span of the text so that tokenizing allocates nothing (a Dictionary keyed by string
/// would need each token as a string of its own on .NET 8). Open addressing over a power-of-two table; the first of
/// duplicate keys wins, as in ONNX Runtime's LabelEncoder.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly string?[] _keys;
    private readonly int[] _ids;
    private readonly int _mask;

    public TokenVocabulary(IReadOnlyList<string> keys, IReadOnlyList<int> ids, int unknown)
    {
        var size = 4;
        while (size < keys.Count * 2)
        {
            size *= 2;
        }
        (_keys, _ids, _mask, Unknown) = (new string?[size], new int[size], size - 1, unknown);
        for (var i = 0; i < keys.Count; i++)
        {
            var slot = Slot(keys[i].AsSpan());
            _keys[slot] ??= keys[i];
            if (ReferenceEquals(_keys[slot], keys[i]))
            {
                _ids[slot] = ids[i];
            }
        }
    }

    /// <summary>The id of a token the vocabulary lacks (the LabelEncoder's default).</summary>
    public int Unknown { get; }

    /// <remarks>
    /// A word with a lone surrogate is never found: ONNX stores keys as UTF-8, where the exporter wrote such a key as
    /// U+FFFD. Training data read from files (UTF-8 again) cannot hold one either, so ML.NET's vocabulary has none.
    /// </remarks>
    public int IdOf(ReadOnlySpan<char> token)
    {
        var slot = Slot(token);
        return _keys[slot] is null ? Unknown : _ids[slot];
    }

    /// <summary>The slot holding <paramref name="token"/>, or the empty slot where it would go.</summary>
    private int Slot(ReadOnlySpan<char> token)
    {
        var slot = string.GetHashCode(token) & _mask;
        while (_keys[slot] is { } key && !token.SequenceEqual(key))
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }
}

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>
/// A TfIdfVectorizer's pool of n-grams as a trie: each node is a sequence of token ids, reached from its prefix by
/// one more id, and knows the output slot that counts it (or -1 for a prefix that is not itself counted). Walking a
/// row's tokens from each position finds every pooled n-gram that starts there in at most n lookups.
/// </summary>
internal sealed class NgramTable
{
    // Ids below this reach their first node through an array instead of the dictionary: every token starts a walk,
    // and character ids (UTF-16 code units) all fall below it.
    private const int DirectIds = 1 << 16;

    private readonly Dictionary<long, int> _children = [];
    private readonly List<int> _outputs = [-1];
    private int[]? _firsts;

    public NgramTable(int minimumLength, int maximumLength) => (MinimumLength, MaximumLength) = (minimumLength, maximumLength);

    public const int Root = 0;

    public int MinimumLength { get; }

    public int MaximumLength { get; }

    /// <summary>The output slot of the sequence at <paramref name="node"/>; -1 when it is only a prefix.</summary>
    public int OutputOf(int node) => _outputs[node];

    /// <summary>The node one id further than <paramref name="node"/>; -1 when the pool has no such sequence.</summary>
    public int Next(int node, int id)
    {
        if (node == Root && _firsts is { } firsts)
        {
            return (uint)id < (uint)firsts.Length ? firsts[id] : -1;
        }
        return _children.TryGetValue(Key(node, id), out var child) ? child : -1;
    }

    /// <summary>Builds the array of first nodes once every n-gram is added; ids at or above <see cref="DirectIds"/> keep the dictionary.</summary>
    public void Seal()
    {
        var firsts = new int[DirectIds];
        Array.Fill(firsts, -1);
        foreach (var (key, child) in _children)
        {
            if (key >> 32 == Root)
            {
                var id = (int)(uint)key;
                if (id is < 0 or >= DirectIds)
                {
                    return;
                }
                firsts[id] = child;
            }
        }
        _firsts = firsts;
    }

    public void Add(ReadOnlySpan<long> ids, int output)
    {
        var node = Root;
        foreach (var id in ids)
        {
            if (id is < int.MinValue or > int.MaxValue)
            {
                throw new UnsupportedGraphException($"n-gram id {id} is outside the 32-bit range");
            }
            var key = Key(node, (int)id);
            if (!_children.TryGetValue(key, out var child))
            {
                child = _outputs.Count;
                _outputs.Add(-1);
                _children[key] = child;
            }
            node = child;
        }
        // As ONNX Runtime builds its map: the first entry for an n-gram keeps its slot.
        if (_outputs[node] < 0)
        {
            _outputs[node] = output;
        }
    }

    private static long Key(int node, int id) => ((long)node << 32) | (uint)id;
}

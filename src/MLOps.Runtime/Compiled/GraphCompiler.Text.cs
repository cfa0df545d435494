using MLOps.Onnx;
using MLOps.Runtime.Compiled.Kernels;

namespace MLOps.Runtime.Compiled;

internal sealed partial class GraphCompiler
{
    private const string MicrosoftDomain = "com.microsoft";

    // ML.NET's character table: one key per UTF-16 code unit below U+FFFF, its value the code unit.
    private const int CharacterTableSize = char.MaxValue;

    private readonly HashSet<NodeProto> _fused = [];

    /// <summary>
    /// ML.NET's exported text featurization, from a com.microsoft Tokenizer through its LabelEncoder, Casts and layout
    /// nodes to the TfIdfVectorizer, compiled as one <see cref="TextNgramKernel"/>: the tokens in between have a
    /// length per row, which fixed slots cannot hold, and nothing else reads them.
    /// </summary>
    private void TextFeaturization(NodeProto tokenizer)
    {
        var text = RowInput(0);
        if (!text.IsString || text.Width != 1)
        {
            throw new UnsupportedGraphException("only a tokenizer of one text per row is compiled");
        }
        var chain = FollowTokens(tokenizer);
        var encoder = chain.FirstOrDefault(n => n.OpType == "LabelEncoder") ?? throw new UnsupportedGraphException("the tokens are not mapped to ids by a LabelEncoder");
        var vectorizer = chain[^1];
        var casts = chain.SkipWhile(n => n != encoder).Where(n => n.OpType == "Cast").Select(n => n.Int("to", 0)).ToArray();
        var ngrams = Ngrams(vectorizer, casts, out var width);
        var tokens = Tokenizer(tokenizer, encoder, id => CastId(id, casts));
        _kernels.Add(new TextNgramKernel(text.Offset, Allocate(vectorizer.Output[0], ElementType.Float, [width]).Offset, width, tokens, ngrams));
        _fused.UnionWith(chain);
    }

    /// <summary>The nodes from the tokenizer's output to the TfIdfVectorizer, each the only reader of the one before.</summary>
    private List<NodeProto> FollowTokens(NodeProto tokenizer)
    {
        var chain = new List<NodeProto>();
        var current = tokenizer.Output.Count == 1 ? tokenizer.Output[0] : throw new UnsupportedGraphException("a tokenizer with other than one output");
        var seenEncoder = false;
        while (true)
        {
            if (_graphOutputs.Contains(current))
            {
                throw new UnsupportedGraphException($"the tokens ('{current}') are a graph output");
            }
            var readers = _graph.Node.Where(n => n.Input.Contains(current)).ToArray();
            if (readers.Length != 1)
            {
                throw new UnsupportedGraphException($"the tokens ('{current}') are read by {readers.Length} nodes, not only the n-gram count");
            }
            var next = readers[0];
            chain.Add(next);
            switch (next.OpType)
            {
                case "TfIdfVectorizer" when seenEncoder:
                    return chain;
                case "LabelEncoder" when !seenEncoder:
                    seenEncoder = true;
                    break;
                case "Cast" when seenEncoder:
                case "Reshape" or "Squeeze" or "Unsqueeze" or "Identity" or "Flatten":
                    break;
                default:
                    throw new UnsupportedGraphException($"the tokens feed {OnnxAttributes.Describe(next)}, outside the compiled text featurization (Tokenizer → LabelEncoder → Cast → TfIdfVectorizer)");
            }
            current = next.Output.Count == 1 ? next.Output[0] : throw new UnsupportedGraphException($"{OnnxAttributes.Describe(next)} has other than one output");
        }
    }

    private TextTokenizer Tokenizer(NodeProto tokenizer, NodeProto encoder, Func<long, int> castId)
    {
        if (tokenizer.Find("tokenexp") is { } pattern && !pattern.S.IsEmpty)
        {
            throw new UnsupportedGraphException("a tokenizer by regular expression is not compiled");
        }
        if (tokenizer.Int("mincharnum", 1) != 1)
        {
            throw new UnsupportedGraphException("only mincharnum 1 (empty tokens dropped) is compiled");
        }
        encoder.RejectTensorForms();
        var keys = encoder.Strings("keys_strings");
        var values = encoder.Ints("values_int64s");
        if (keys.Length == 0 || keys.Length != values.Length)
        {
            throw new UnsupportedGraphException("the token LabelEncoder must map strings to int64 ids");
        }
        var unknown = castId(encoder.Int("default_int64", -1));
        var separators = tokenizer.Strings("separators");
        var marks = tokenizer.Int("mark", 0) == 1;
        if (separators is [""])
        {
            RequireCharacterTable(keys, values);
            return new CharacterTokenizer(marks, keys.Length, unknown);
        }
        if (marks || separators.Length == 0 || separators.Any(s => s.Length != 1))
        {
            throw new UnsupportedGraphException("only words split at single characters, without marks, or characters are compiled");
        }
        return new WordTokenizer([.. separators.Select(s => s[0])], new TokenVocabulary(keys, [.. values.Select(castId)], unknown));
    }

    /// <summary>
    /// ML.NET's character table maps each code unit to itself. ONNX strings are UTF-8, so the entries for the
    /// surrogates (U+D800–U+DFFF) arrive as U+FFFD: those are the ones ONNX Runtime gets wrong and the kernel,
    /// which takes the code unit itself, gets right.
    /// </summary>
    private static void RequireCharacterTable(string[] keys, long[] values)
    {
        if (keys.Length > CharacterTableSize)
        {
            throw new UnsupportedGraphException("a character table beyond U+FFFE");
        }
        for (var i = 0; i < keys.Length; i++)
        {
            var unstorable = char.IsSurrogate((char)i) && keys[i] == "\uFFFD";
            if (values[i] != i || !(unstorable || (keys[i].Length == 1 && keys[i][0] == i)))
            {
                throw new UnsupportedGraphException($"the character table's entry {i} is not ML.NET's (each code unit its own id)");
            }
        }
    }

    /// <summary>The TfIdfVectorizer's pool as a trie, its ids passed through the same Casts as the tokens'.</summary>
    private static NgramTable Ngrams(NodeProto vectorizer, long[] casts, out int width)
    {
        if (vectorizer.String("mode", "") != "TF")
        {
            throw new UnsupportedGraphException($"mode '{vectorizer.String("mode", "")}' (only TF, counts, is compiled)");
        }
        if (vectorizer.Int("max_skip_count", 0) != 0 || vectorizer.Has("pool_strings"))
        {
            throw new UnsupportedGraphException("skip-grams and string pools are not compiled");
        }
        var (minimum, maximum) = ((int)vectorizer.Int("min_gram_length", 1), (int)vectorizer.Int("max_gram_length", 1));
        var starts = vectorizer.Ints("ngram_counts");
        var pool = vectorizer.Ints("pool_int64s");
        var indexes = vectorizer.Ints("ngram_indexes");
        if (minimum < 1 || maximum < minimum || starts.Length != maximum || indexes.Length == 0 || indexes.Any(i => i is < 0 or > int.MaxValue))
        {
            throw new UnsupportedGraphException("an n-gram pool whose lengths or indexes are inconsistent");
        }
        width = (int)indexes.Max() + 1;
        var table = new NgramTable(minimum, maximum);
        var entry = 0;
        for (var length = 1; length <= maximum; length++)
        {
            var end = length < maximum ? starts[length] : pool.Length;
            if (starts[length - 1] > end || end > pool.Length || (end - starts[length - 1]) % length != 0)
            {
                throw new UnsupportedGraphException("an n-gram pool whose lengths or indexes are inconsistent");
            }
            for (var at = starts[length - 1]; at < end; at += length)
            {
                if (entry >= indexes.Length)
                {
                    throw new UnsupportedGraphException("more pooled n-grams than ngram_indexes");
                }
                var ids = pool.AsSpan((int)at, length).ToArray().Select(id => (long)CastId(id, casts)).ToArray();
                table.Add(ids, (int)indexes[entry++]);
            }
        }
        table.Seal();
        return table;
    }

    /// <summary>An id after the chain's Casts (ML.NET casts to uint16 or uint32 and back to int64); one no int holds never matches.</summary>
    private static int CastId(long id, long[] casts)
    {
        foreach (var to in casts)
        {
            id = (TensorProto.Types.DataType)to switch
            {
                TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 => id,
                TensorProto.Types.DataType.Uint32 => id & 0xFFFF_FFFF,
                TensorProto.Types.DataType.Int32 => (int)id,
                TensorProto.Types.DataType.Uint16 => id & 0xFFFF,
                TensorProto.Types.DataType.Int16 => (short)id,
                _ => throw new UnsupportedGraphException($"token ids cast to {(TensorProto.Types.DataType)to}"),
            };
        }
        return id is >= 0 and <= int.MaxValue ? (int)id : NoToken;
    }

    /// <summary>The id of a token no pool holds (pools hold ML.NET's non-negative ids).</summary>
    private const int NoToken = int.MinValue;
}

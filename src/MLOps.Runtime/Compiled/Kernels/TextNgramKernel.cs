using System.Buffers;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>How a text becomes token ids before its n-grams are counted.</summary>
internal abstract class TextTokenizer
{
    /// <summary>The most ids a text of <paramref name="length"/> UTF-16 code units can give.</summary>
    public abstract int MaximumTokens(int length);

    /// <summary>Writes the text's token ids into <paramref name="ids"/> and returns how many.</summary>
    public abstract int Tokenize(ReadOnlySpan<char> text, Span<int> ids);
}

/// <summary>
/// Words as ML.NET's WordTokenizingEstimator splits them: at each separator character, empty tokens dropped; each
/// word looked up in the vocabulary the graph's LabelEncoder holds, an unknown word getting its default id.
/// </summary>
internal sealed class WordTokenizer(char[] separators, TokenVocabulary vocabulary) : TextTokenizer
{
    public override int MaximumTokens(int length) => (length / 2) + 1;

    public override int Tokenize(ReadOnlySpan<char> text, Span<int> ids)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOfAny(separators);
            var token = end < 0 ? text : text[..end];
            if (!token.IsEmpty)
            {
                ids[count++] = vocabulary.IdOf(token);
            }
            text = end < 0 ? [] : text[(end + 1)..];
        }
        return count;
    }
}

/// <summary>
/// Characters as ML.NET's TokenizingByCharactersEstimator gives them: one token per UTF-16 code unit (so a surrogate
/// pair is two), its id the code unit itself, between a start-of-text (U+0002) and an end-of-text (U+0003) mark when
/// the graph asks for marks; an empty text gives no tokens at all. ONNX Runtime's Tokenizer instead splits UTF-8
/// characters and looks each up in a table whose surrogate entries ONNX cannot store (docs/compiled-scoring.md).
/// </summary>
internal sealed class CharacterTokenizer(bool marks, int tableSize, int unknown) : TextTokenizer
{
    public const char StartOfText = '\u0002';
    public const char EndOfText = '\u0003';

    public override int MaximumTokens(int length) => length + 2;

    public override int Tokenize(ReadOnlySpan<char> text, Span<int> ids)
    {
        if (text.IsEmpty)
        {
            return 0;
        }
        var count = 0;
        if (marks)
        {
            ids[count++] = StartOfText;
        }
        foreach (var c in text)
        {
            ids[count++] = c < tableSize ? c : unknown;
        }
        if (marks)
        {
            ids[count++] = EndOfText;
        }
        return count;
    }
}

/// <summary>
/// A text input's n-gram counts (TfIdfVectorizer in TF mode) from its tokens: the fused Tokenizer → LabelEncoder →
/// Cast → TfIdfVectorizer chain ML.NET's FeaturizeText exports, scored row by row with ML.NET's semantics. A missing
/// text (null) counts as empty.
/// </summary>
internal sealed class TextNgramKernel(int input, int output, int width, TextTokenizer tokenizer, NgramTable ngrams) : Kernel
{
    private const int StackTokens = 256;

    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var counts = numbers.Slice(output, width);
        counts.Clear();
        var text = (strings[input] ?? "").AsSpan();
        var most = tokenizer.MaximumTokens(text.Length);
        int[]? rented = null;
        var ids = most <= StackTokens ? stackalloc int[StackTokens] : (rented = ArrayPool<int>.Shared.Rent(most));
        try
        {
            Count(ids[..tokenizer.Tokenize(text, ids)], counts);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private void Count(ReadOnlySpan<int> ids, Span<float> counts)
    {
        for (var start = 0; start < ids.Length; start++)
        {
            var node = NgramTable.Root;
            var longest = Math.Min(ngrams.MaximumLength, ids.Length - start);
            for (var length = 1; length <= longest; length++)
            {
                node = ngrams.Next(node, ids[start + length - 1]);
                if (node < 0)
                {
                    break;
                }
                if (length >= ngrams.MinimumLength && ngrams.OutputOf(node) is var slot and >= 0)
                {
                    counts[slot] += 1f;
                }
            }
        }
    }
}

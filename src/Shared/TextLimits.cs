using System.Globalization;

namespace MLOps.Shared;

/// <summary>
/// How much of a text from data is carried where: a value quoted in a message or a doc line is cut to
/// <see cref="QuotedValueLength"/> characters and says its full length (a 1 MB cell must not make a 1 MB log line);
/// a value generated code must carry exactly (a class label, an ONNX name, a replacement) may not exceed
/// <see cref="LiteralLength"/>.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class TextLimits
{
    /// <summary>What one quoted value (a cell, a category, a column in a sentence) keeps in a message or a doc line.</summary>
    public const int QuotedValueLength = 80;

    /// <summary>
    /// The longest text a generated string literal carries. A class label beyond it is refused before training
    /// (MLOPS1049); a card holding a longer exact value is unusable (MLOPS5002); training categories beyond it are left
    /// out of the drift reference (they count as unseen). This keeps a card far below the compiler's 16 MB limit on a
    /// program's strings (CS8103).
    /// </summary>
    public const int LiteralLength = 4096;

    /// <summary>
    /// How many names (columns, features) one message lists; a wide table's hundreds more are counted, not listed, so
    /// that a line stays readable (784 drifting pixels made a 5 KB line).
    /// </summary>
    public const int ListedNames = 20;

    /// <summary>
    /// The first <see cref="ListedNames"/> names, each <see cref="Quoted"/> (a name from data can be a 1 MB header cell)
    /// between <paramref name="marks"/>, joined with ", ", then " and N others" for the rest.
    /// </summary>
    public static string List(IReadOnlyList<string> names, string marks = "") =>
        string.Join(", ", names.Take(ListedNames).Select(name => marks + Quoted(name) + marks))
        + (names.Count > ListedNames ? string.Format(CultureInfo.InvariantCulture, " and {0:N0} others", names.Count - ListedNames) : "");

    /// <summary><paramref name="value"/> cut to <see cref="QuotedValueLength"/>, as <see cref="Cut"/> cuts.</summary>
    public static string Quoted(string value) => Cut(value, QuotedValueLength);

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maximum"/> characters; else its first ones (never half
    /// a surrogate pair) and "… (cut: N characters)".
    /// </summary>
    public static string Cut(string text, int maximum)
    {
        if (text.Length <= maximum)
        {
            return text;
        }
        var keep = maximum;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        return text.Substring(0, keep) + string.Format(CultureInfo.InvariantCulture, "… (cut: {0:N0} characters)", text.Length);
    }
}

using System.Globalization;
using System.Text;
using MLOps.Shared;

namespace MLOps.Build.Generators.Common;

/// <summary>
/// The one escaping rule for each place generated code holds text that came from data, a manifest, a model card or an
/// imported ONNX graph. Training data is untrusted input: whatever a value holds (line terminators including U+0085,
/// U+2028 and U+2029, quotes, backslashes, <c>*/</c>, <c>&lt;</c>, <c>&amp;</c>, control and bidirectional format
/// characters, lone surrogates, megabytes of text), it stays inert text inside the construct it was put in and can
/// never end that construct early.
/// </summary>
internal static class GeneratedText
{
    /// <summary>What one whole XML doc line keeps: a card cannot make a doc comment larger than this.</summary>
    public const int MaxDocumentationLength = 2000;

    /// <summary>
    /// A C# regular string literal that evaluates to exactly <paramref name="value"/>: backslash and quote escaped, and
    /// every character that is not plainly visible (controls, line and paragraph separators, format characters,
    /// surrogates, non-characters) written as <c>\uXXXX</c>. The literal is on one line whatever the value holds.
    /// </summary>
    public static string StringLiteral(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (InvisibleCharacters.IsInvisible(c))
                    {
                        InvisibleCharacters.AppendCode(text, c);
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// Text for one line of an XML documentation comment (<c>/// …</c>): markup characters as entities, every invisible
    /// character (line terminators first of all, which would end the comment) shown as the text <c>\uXXXX</c>, and
    /// at most <see cref="MaxDocumentationLength"/> characters.
    /// </summary>
    public static string DocText(string text) => Escape(TextLimits.Cut(text, MaxDocumentationLength), xml: true);

    /// <summary>Text for a plain <c>//</c> comment line: like <see cref="DocText"/> without XML entities.</summary>
    public static string CommentText(string text) => Escape(TextLimits.Cut(text, MaxDocumentationLength), xml: false);

    /// <summary>
    /// One value quoted inside documentation (a category, a column): cut to <see cref="TextLimits.QuotedValueLength"/>
    /// characters with the full length said. Escaping happens when the whole sentence goes through <see cref="DocText"/>.
    /// </summary>
    public static string DocumentedValue(string value) => TextLimits.Quoted(value);

    /// <summary>A C# <c>float</c> expression for <paramref name="value"/>, exact to the float it rounds to.</summary>
    public static string FloatLiteral(double value)
    {
        var single = (float)value;
        return single switch
        {
            float.NaN => "float.NaN",
            float.PositiveInfinity => "float.PositiveInfinity",
            float.NegativeInfinity => "float.NegativeInfinity",
            _ => single.ToString("R", CultureInfo.InvariantCulture) + "f",
        };
    }

    /// <summary>
    /// A C# literal for <paramref name="value"/> where a <c>double</c> is expected (an element of <c>new double[]</c>),
    /// round-trip exact: "R" writes whole numbers as integer literals that convert exactly, others with '.' or 'E'.
    /// </summary>
    public static string DoubleLiteral(double value) => value switch
    {
        double.NaN => "double.NaN",
        double.PositiveInfinity => "double.PositiveInfinity",
        double.NegativeInfinity => "double.NegativeInfinity",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Invisible characters shown as their codes (<see cref="InvisibleCharacters.Shown"/>); for XML, markup characters as entities.</summary>
    private static string Escape(string text, bool xml)
    {
        var shown = InvisibleCharacters.Shown(text);
        return xml ? shown.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;") : shown;
    }
}

using System.Globalization;
using System.Text;

namespace MLOps.Shared;

/// <summary>
/// Characters that are not plainly visible text, and how text from data, a manifest, a model card, git or a built
/// binary shows them: as the text <c>\uXXXX</c>. Invisible are controls, line and paragraph separators, format
/// characters (bidi overrides, zero-width joiners: "Trojan Source"), private-use characters, surrogates that are not a
/// visible pair, and the non-characters U+FFFE/U+FFFF. Shown so, a value can neither end the construct it was put in
/// (a generated literal or doc line, a log line, a table cell, a report line) nor drive a terminal.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class InvisibleCharacters
{
    public static bool IsInvisible(char c) => c >= '\uFFFE' || CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    public static StringBuilder AppendCode(StringBuilder text, char c) =>
        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));

    /// <summary><paramref name="text"/> with each invisible character as its code; a visible supplementary character (an emoji) kept whole.</summary>
    public static string Shown(string text)
    {
        StringBuilder? shown = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                && CharUnicodeInfo.GetUnicodeCategory(text, i) is not (UnicodeCategory.Format or UnicodeCategory.PrivateUse))
            {
                shown?.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsInvisible(c))
            {
                AppendCode(shown ??= new StringBuilder(text.Length + 8).Append(text, 0, i), c);
            }
            else
            {
                shown?.Append(c);
            }
        }
        return shown?.ToString() ?? text;
    }
}

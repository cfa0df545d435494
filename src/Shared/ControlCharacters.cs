using System.Globalization;
using System.Text;

namespace MLOps.Shared;

/// <summary>
/// Text from data, a manifest, git or a built binary shown to a person (a terminal table, a Markdown report): a control
/// or line-separating character in it is written as its code (<c>\u001B</c>), so that it can neither drive the terminal
/// (an escape sequence that clears the screen or rewrites a line) nor start a line of its own.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ControlCharacters
{
    public static string Shown(string text)
    {
        var i = 0;
        while (i < text.Length && !IsControl(text[i]))
        {
            i++;
        }
        if (i == text.Length)
        {
            return text;
        }
        var shown = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                shown.Append("\\u").Append(((int)text[i]).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                shown.Append(text[i]);
            }
        }
        return shown.ToString();
    }

    private static bool IsControl(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}

using System.Text;
using MLOps.Shared;

namespace MLOps.Build.Reporting;

/// <summary>
/// Text from data or a manifest (a column a sweep may drop, an option's value) written into Markdown that a CI job
/// shows (report.md, GitHub's step summary): it must read as the text it is, never as Markdown or HTML. A column named
/// <c>a | b</c> must not split a table cell, a newline must not start a heading, <c>&lt;img …&gt;</c> must not be a tag,
/// a URL must not become a link.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// Characters that mean something inside a line: code, emphasis, links and images, HTML and entities, a table cell's
    /// bar, and the colon and at sign that autolinks (<c>https://…</c>, <c>mailto:</c>, e-mail addresses) need.
    /// </summary>
    private const string Special = "\\`*_[]<>|~&:@";

    /// <summary>
    /// <paramref name="text"/> for a table cell or inside a line: each of <see cref="Special"/> backslash-escaped
    /// (CommonMark lets any ASCII punctuation be, and GitHub's tables take <c>\|</c> as a bar inside the cell), so is
    /// the dot of <c>www.</c> (an autolink without a scheme), and every control or line-separating character is written
    /// as its <c>\uXXXX</c> code, so that nothing starts a line of its own (a heading, a list, a table row).
    /// </summary>
    public static string Inline(string text)
    {
        var shown = InvisibleCharacters.Shown(text);
        var escaped = new StringBuilder(shown.Length + 8);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (Special.IndexOf(c) >= 0 || (c == '.' && i >= 3 && string.Compare(shown, i - 3, "www", 0, 3, StringComparison.OrdinalIgnoreCase) == 0))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}

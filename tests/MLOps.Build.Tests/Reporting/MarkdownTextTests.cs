using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CsCheck;
using Markdig;
using MLOps.Build.Reporting;

namespace MLOps.Build.Tests.Reporting;

/// <summary>
/// Text from data in the Markdown a CI job shows reads as itself, as a CommonMark and GitHub-flavoured renderer
/// (Markdig with its GitHub extensions: pipe tables, autolinks, strikethrough) reads it.
/// </summary>
public sealed class MarkdownTextTests
{
    private static readonly MarkdownPipeline GitHubFlavoured = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Pieces an attacker would try, and plain text between them.</summary>
    private static readonly string[] Fragments =
    [
        "|", "\\|", "\\", "`", "``", "*", "**", "_", "~~", "[x](http://e.test)", "![i](x.png)", "<", ">", "<b>", "</td>", "<img src=x onerror=alert(1)>",
        "&", "&amp;", "&lt;", "#", "# Heading", "- ", "1. ", "> ", "---", "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\t", "\0", "\u001b",
        "a", "drop:", "column name", "é", "日本語", "\U0001F600", "\u202E", ":", "http://e.test", "www.e.test", "WWW.", "a@e.test", "mailto:a", " ", "  ",
    ];

    private static readonly Gen<string> Texts = Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]).Array[0, 8].Select(parts => string.Concat(parts));

    [Fact]
    public void Any_text_is_one_table_cell_that_reads_as_the_text()
    {
        Texts.Sample(text =>
        {
            var html = Markdown.ToHtml($"| option | score |\n| --- | ---: |\n| {MarkdownText.Inline(text)} | 0.5 |\n", GitHubFlavoured);

            var cells = Regex.Matches(html, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline);
            Assert.Equal(2, cells.Count);
            AssertText(Shown(text).Trim(' '), cells[0].Groups[1].Value);
            Assert.Equal("0.5", cells[1].Groups[1].Value);
        }, iter: 3000, threads: 1, print: Codes);
    }

    [Fact]
    public void Any_text_inside_a_line_reads_as_the_text_and_starts_no_line_of_its_own()
    {
        Texts.Sample(text =>
        {
            var html = Markdown.ToHtml($"Winner: trial 2, FastTree {MarkdownText.Inline(text)} 9\n", GitHubFlavoured);

            var paragraph = Regex.Match(html, "^<p>Winner: trial 2, FastTree (.*) 9</p>\n$", RegexOptions.Singleline);
            Assert.True(paragraph.Success, html);
            AssertText(Shown(text), paragraph.Groups[1].Value);
        }, iter: 3000, threads: 1, print: Codes);
    }

    /// <summary>The HTML is text only (no element: no link, emphasis, code or injected tag) and reads as <paramref name="expected"/>.</summary>
    private static void AssertText(string expected, string html)
    {
        Assert.DoesNotContain("<", html);
        Assert.Equal(expected, WebUtility.HtmlDecode(html));
    }

    private static string Codes(string text) => string.Concat(text.Select(c => $"\\u{(int)c:X4}"));

    /// <summary>
    /// The text as the reader sees it: a control, line-separating or format character (a bidi override) as its code
    /// (the fragments hold no lone surrogate, and their one supplementary character is visible).
    /// </summary>
    private static string Shown(string text) => string.Concat(text.Select(c =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format
            ? $"\\u{(int)c:X4}"
            : c.ToString()));
}

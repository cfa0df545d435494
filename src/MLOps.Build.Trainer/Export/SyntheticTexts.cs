namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Texts real data may hold and a test set may lack, on which the compiled text featurization is checked against
/// ML.NET at every build: accents precomposed and combining, CJK, emoji and other surrogate pairs, a lone surrogate,
/// U+FFFD, no-break and other Unicode spaces, right-to-left text, Turkish dotted and dotless i, control characters,
/// the empty string and a very long text.
/// </summary>
public static class SyntheticTexts
{
    /// <summary>Long enough to take the kernels' pooled buffers instead of the stack, and to repeat every n-gram.</summary>
    public const int LongTextLength = 20_000;

    public static IReadOnlyList<string> All { get; } =
    [
        "",
        " ",
        "a",
        "é",
        "e\u0301",
        "café résumé naïve",
        "cafe\u0301 re\u0301sume\u0301",
        "日本語のテキスト",
        "中文 文本",
        "😀",
        "a😀b",
        "emoji 👍🏽 and flags 🇫🇷",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
        "lone \uD800 surrogate",
        "replacement \uFFFD character",
        "no-break\u00A0space",
        "em\u2003space and\u3000ideographic",
        "zero\u200Bwidth",
        "שלום עולם",
        "مرحبا بالعالم",
        "İstanbul ılık",
        "“curly” ‘quotes’ — dashes…",
        "tab\there\r\nnewline",
        "\u0002\u0003 marks",
        "\uFFFF",
        "  leading and trailing  ",
        string.Concat(Enumerable.Repeat("the long text é😀 ", LongTextLength / 17)),
    ];
}

using MLOps.Shared;

namespace MLOps.Build.Tests.Text;

public sealed class TextLimitsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(79)]
    [InlineData(80)]
    public void A_value_up_to_the_quoted_length_is_kept_whole(int length)
    {
        var value = new string('é', length);
        Assert.Same(value, TextLimits.Quoted(value));
    }

    [Fact]
    public void A_longer_value_keeps_its_first_characters_and_says_its_length()
    {
        var value = new string('x', 81);
        Assert.Equal(new string('x', 80) + "… (cut: 81 characters)", TextLimits.Quoted(value));
        Assert.Equal("abc… (cut: 1,000,000 characters)", TextLimits.Cut("abc" + new string('d', 999_997), 3));
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var value = new string('x', 79) + "😀" + "tail";

        var cut = TextLimits.Quoted(value);

        Assert.Equal(new string('x', 79) + "… (cut: 85 characters)", cut);
        Assert.DoesNotContain(cut, char.IsSurrogate);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(3, "c0, c1, c2")]
    [InlineData(20, "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19")]
    [InlineData(1_784, "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19 and 1,764 others")]
    public void A_list_names_twenty_and_counts_the_others(int count, string expected) =>
        Assert.Equal(expected, TextLimits.List(Enumerable.Range(0, count).Select(i => $"c{i}").ToArray()));

    [Fact]
    public void A_listed_name_is_cut_like_any_quoted_value_and_put_between_its_marks()
    {
        var huge = new string('h', 1_000_000);

        var listed = TextLimits.List(["short", huge], "'");

        Assert.Equal("'short', '" + TextLimits.Quoted(huge) + "'", listed);
        Assert.True(listed.Length < 200, $"{listed.Length} characters");
    }
}

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
}

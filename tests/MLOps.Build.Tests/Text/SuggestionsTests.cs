using MLOps.Build.Text;

namespace MLOps.Build.Tests.Text;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("lable", "label")]
    [InlineData("LIGHTGBM", "LightGbm")]
    [InlineData("NumberOfLeafs", "NumberOfLeaves")]
    [InlineData("zzz", null)]
    public void Suggests_only_close_candidates(string typo, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(typo, ["label", "LightGbm", "NumberOfLeaves", "seed"]));
}

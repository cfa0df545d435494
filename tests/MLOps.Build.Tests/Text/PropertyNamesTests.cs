using MLOps.Build.Text;
using MLOps.Shared;

namespace MLOps.Build.Tests.Text;

public sealed class PropertyNamesTests
{
    [Theory]
    [InlineData("temp_max", "TempMax")]
    [InlineData("Body Mass (g)", "BodyMassG")]
    [InlineData("precipitation", "Precipitation")]
    [InlineData("tempMax", "TempMax")]
    [InlineData("wind-speed [m/s]", "WindSpeedMS")]
    [InlineData("2015 sales", "_2015Sales")]
    [InlineData("%", "Column1")]
    [InlineData("Größe", "Größe")]
    public void Column_names_become_PascalCase_identifiers(string column, string expected) =>
        Assert.Equal(expected, PropertyNames.ToPascalCase(column, 0));

    [Fact]
    public void Collisions_get_the_smallest_free_suffix_in_column_order()
    {
        Assert.Equal(["TempMax", "TempMax2", "TempMax3", "Column4"],
            PropertyNames.Assign(["temp_max", "temp max", "TEMP_max".ToLowerInvariant(), "()"]));
    }

    [Fact]
    public void Reserved_names_are_avoided()
    {
        Assert.Equal(["Input2"], PropertyNames.Assign(["input"], reserved: ["Input"]));
    }

    [Theory]
    [InlineData("Weather", true)]
    [InlineData("_x1", true)]
    [InlineData("1x", false)]
    [InlineData("a-b", false)]
    [InlineData("namespace", false)]
    public void Identifier_check(string name, bool valid) => Assert.Equal(valid, CSharpIdentifiers.IsValid(name));
}

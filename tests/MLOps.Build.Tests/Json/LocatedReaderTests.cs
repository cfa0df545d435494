using System.Text;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;

namespace MLOps.Build.Tests.Json;

/// <summary>The generic half of every located-JSON format: typed reads, and each problem reported at its value.</summary>
public sealed class LocatedReaderTests
{
    private readonly DiagnosticBag _diagnostics = new();

    private (LocatedReader Read, LocatedObject Node) Parse(string json)
    {
        var parsed = LocatedJsonParser.Parse(new FileText("/m.json", Encoding.UTF8.GetBytes(json)));
        return (new LocatedReader(_diagnostics), Assert.IsType<LocatedObject>(parsed.Root));
    }

    private (string Id, int Line, int Column, string Message) Single() =>
        Assert.Single(_diagnostics.Items.Select(d => (d.Id, d.Location.Line, d.Location.Column, d.Message)));

    [Fact]
    public void An_unknown_key_is_reported_at_its_name_with_the_nearest_known_one()
    {
        var (read, node) = Parse("{\n  \"lable\": \"x\" }");

        read.CheckKeys(node, ["label", "task"], "data.");

        Assert.Equal(("MLOPS1010", 2, 3, "Unknown key 'data.lable' is ignored. Did you mean 'label'?"), Single());
    }

    [Theory]
    [InlineData("{ \"n\": 7 }", 7.0, null)]
    [InlineData("{ }", null, null)]
    [InlineData("{ \"n\": 2.5 }", null, "'n' must be a whole number; found a number.")]
    [InlineData("{ \"n\": \"7\" }", null, "'n' must be a whole number; found a string.")]
    [InlineData("{ \"n\": 11 }", null, "'n' is 11; it must lie between 1 and 10.")]
    public void A_number_is_read_or_its_problem_is_reported(string json, double? expected, string? problem)
    {
        var (read, node) = Parse(json);

        Assert.Equal(expected, read.OptionalNumber(node, "n", 1, 10, integer: true));

        Assert.Equal(problem, _diagnostics.Items.SingleOrDefault()?.Message);
    }

    [Fact]
    public void A_required_string_that_is_missing_empty_or_not_a_string_is_reported_once_each()
    {
        var (read, node) = Parse("{ \"empty\": \"  \", \"number\": 3, \"flag\": 1 }");

        Assert.Null(read.RequiredString(node, "absent", "data."));
        Assert.Null(read.RequiredString(node, "empty"));
        Assert.Null(read.RequiredString(node, "number"));
        Assert.Null(read.OptionalBool(node, "flag"));

        Assert.Equal(
            ["Required field 'data.absent' is missing.", "'empty' must not be empty.", "'number' must be a string; found a number.", "'flag' must be true or false; found a number."],
            _diagnostics.Items.Select(d => d.Message));
    }
}

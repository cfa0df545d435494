using MLOps.Build.Fingerprints;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

/// <summary>The fingerprint's parts, and what changed between two of them in words: one test per kind of part.</summary>
public sealed class RetrainReasonTests
{
    private static readonly Dictionary<string, string> Hashes = new() { ["data.train"] = new string('1', 64) };

    private static SortedDictionary<string, string> Parts(string json, Dictionary<string, string>? hashes = null, string tool = "1.0") =>
        ModelFingerprint.Parts(Manifests.Parse(json).Manifest!, hashes ?? Hashes, tool);

    private static string Why(string before, string after, Dictionary<string, string>? hashesAfter = null, string toolAfter = "1.0",
        Dictionary<string, (long, long?)>? rows = null) =>
        RetrainReason.Describe(Parts(before), Parts(after, hashesAfter, toolAfter), rows);

    /// <summary>Edits of every kind, including ones the fingerprint ignores.</summary>
    public static TheoryData<string, string> Edits => new()
    {
        { "\"NumberOfLeaves\": 15", "\"NumberOfLeaves\": 16" },
        { "\"seed\": 7", "\"seed\": 8" },
        { "\"data/train.csv\"", "\"data/other.csv\"" },
        { "\"min\": 0.9", "\"min\": 0.95" },
        { "\"method\": \"auto\"", "\"method\": \"psi\"" },
        { "\"version\": \"2.1.0\",", "\"version\": \"2.2.0\"," },
        { "\"seed\": 7,", "\"seed\": 7, \"description\": \"new\"," },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void The_parts_change_exactly_when_the_fingerprint_does(string from, string to)
    {
        var edited = Manifests.Valid.Replace(from, to);
        Assert.NotEqual(Manifests.Valid, edited);
        var before = ModelFingerprint.Compute(Manifests.Parse(Manifests.Valid).Manifest!, Hashes, "1.0");
        var after = ModelFingerprint.Compute(Manifests.Parse(edited).Manifest!, Hashes, "1.0");

        Assert.Equal(before != after, !Parts(Manifests.Valid).SequenceEqual(Parts(edited)));
    }

    [Fact]
    public void A_changed_option_is_named_with_its_old_and_new_value() =>
        Assert.Equal("trainer.options.NumberOfLeaves 15 → 16", Why(Manifests.Valid, Manifests.Valid.Replace("\"NumberOfLeaves\": 15", "\"NumberOfLeaves\": 16")));

    [Fact]
    public void Added_and_removed_settings_say_so() =>
        Assert.Equal("trainer.options.MinimumExampleCountPerLeaf set to 5; trainer.options.NumberOfLeaves removed (was 15)",
            Why(Manifests.Valid, Manifests.Valid.Replace("\"NumberOfLeaves\": 15", "\"MinimumExampleCountPerLeaf\": 5")));

    [Fact]
    public void A_changed_data_file_comes_first_with_its_rows_before_and_after_when_known()
    {
        var newData = new Dictionary<string, string> { ["data.train"] = new string('2', 64) };
        var edited = Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 8");

        Assert.Equal("data.train changed (600 → 812 rows, +212); seed 7 → 8", Why(Manifests.Valid, edited, newData, rows: new() { ["data.train"] = (600, 812) }));
        Assert.Equal("data.train changed (was 600 rows)", Why(Manifests.Valid, Manifests.Valid, newData, rows: new() { ["data.train"] = (600, null) }));
        Assert.Equal("data.train changed (600 → 590 rows, −10)", Why(Manifests.Valid, Manifests.Valid, newData, rows: new() { ["data.train"] = (600, 590) }));
    }

    [Fact]
    public void A_query_s_SQL_is_named_by_its_hash_never_its_text()
    {
        var query = Manifests.Valid.Replace("{ \"path\": \"data/train.csv\", \"sha256\": \"" + new string('0', 64) + "\" }",
            "{ \"sql\": \"SELECT * FROM 'data/train.csv' WHERE secret = 'hunter2'\" }");
        Assert.NotNull(Manifests.Parse(query).Manifest);

        var parts = Parts(query);

        Assert.DoesNotContain(parts.Values, v => v.Contains("hunter2", StringComparison.Ordinal));
        Assert.Equal("sha256:" + MLOps.Build.Manifest.QuerySpec.HashOf("SELECT * FROM 'data/train.csv' WHERE secret = 'hunter2'"), Assert.Single(parts, p => p.Key.EndsWith(".sql", StringComparison.Ordinal)).Value);
        Assert.NotEqual(ModelFingerprint.Compute(Manifests.Parse(query).Manifest!, Hashes, "1.0"),
            ModelFingerprint.Compute(Manifests.Parse(query.Replace("hunter2", "other")).Manifest!, Hashes, "1.0"));
        Assert.NotEqual(parts, Parts(query.Replace("hunter2", "other")));
    }

    [Fact]
    public void A_new_tool_version_comes_last() =>
        Assert.Equal("seed 7 → 8; tool 1.0 → 1.1", Why(Manifests.Valid, Manifests.Valid.Replace("\"seed\": 7", "\"seed\": 8"), toolAfter: "1.1"));

    [Fact]
    public void Many_changes_are_listed_up_to_a_limit_and_counted_beyond_it()
    {
        var before = new Dictionary<string, string>();
        var after = Enumerable.Range(0, 9).ToDictionary(i => $"manifest.option{i}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var reason = RetrainReason.Describe(before, after);

        Assert.Equal(RetrainReason.Listed, reason.Split("; ").Length - 1);
        Assert.EndsWith("; and 3 more", reason);
    }

    [Fact]
    public void A_training_that_recorded_no_inputs_says_so() =>
        Assert.Equal("its last training recorded no inputs to compare with", RetrainReason.Describe(null, Parts(Manifests.Valid)));
}

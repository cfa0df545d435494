using MLOps.Build.Artifacts;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Artifacts;

public sealed class RunHistoryTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static RunRecord Record(string fingerprint) => new("2026-11-28T00:00:00Z", null, "M", fingerprint, "sha", "LightGbm",
        new Dictionary<string, object?> { ["NumberOfLeaves"] = 15L }, 42, new Dictionary<string, string> { ["data.train"] = "abc" },
        new Dictionary<string, double> { ["AUC"] = 0.9 }, 1.5, "1.0.0", null);

    [Fact]
    public void A_line_damaged_by_a_killed_build_is_skipped_and_later_runs_still_read()
    {
        var path = Path.Combine(_repo.Root, "runs", "M.jsonl");
        RunHistory.Append(path, Record("a"));
        File.AppendAllText(path, "{\"time\":\"2026-11-28T00:00:01Z\",\"comm");
        File.AppendAllText(path, "\n");
        RunHistory.Append(path, Record("b"));

        var records = RunHistory.Read(path);

        Assert.Equal(["a", "b"], records.Select(r => r.Fingerprint));
        Assert.Equal(15, ((System.Text.Json.JsonElement)records[1].Options["NumberOfLeaves"]!).GetInt32());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"time\":\"2026-11-28T00:00:01Z\",\"model\":\"M\"}")]
    [InlineData("{\"time\":\"t\",\"model\":\"M\",\"fingerprint\":\"f\",\"modelSha256\":\"s\",\"trainer\":\"LightGbm\",\"options\":null,\"seed\":1,\"data\":{},\"metrics\":{},\"durationSeconds\":1,\"tool\":\"1\"}")]
    [InlineData("{\"time\":\"t\",\"model\":\"M\",\"fingerprint\":\"f\",\"modelSha256\":\"s\",\"trainer\":\"LightGbm\",\"options\":{},\"seed\":1,\"data\":{},\"metrics\":{},\"durationSeconds\":1,\"tool\":\"1\",\"sweep\":{\"strategy\":\"random\",\"metric\":\"AUC\"}}")]
    [InlineData("{\"time\":\"t\",\"model\":\"M\",\"fingerprint\":\"f\",\"modelSha256\":\"s\",\"trainer\":\"LightGbm\",\"options\":{},\"seed\":1,\"data\":{},\"metrics\":{},\"durationSeconds\":1,\"tool\":\"1\",\"sweep\":{\"strategy\":\"random\",\"metric\":\"AUC\",\"best\":{\"trainer\":\"LightGbm\",\"mean\":0.9}}}")]
    public void A_line_that_is_JSON_but_not_a_whole_record_is_skipped(string line)
    {
        var path = Path.Combine(_repo.Root, "runs", "M.jsonl");
        RunHistory.Append(path, Record("a"));
        File.AppendAllText(path, line + "\n");
        RunHistory.Append(path, Record("b"));

        var records = RunHistory.Read(path);

        Assert.Equal(["a", "b"], records.Select(r => r.Fingerprint));
    }

    [Fact]
    public void Two_clones_of_one_repository_name_keep_separate_histories()
    {
        var first = RunHistory.PathFor("/runs", Path.Combine(_repo.Root, "a", "repo"), "M");
        var second = RunHistory.PathFor("/runs", Path.Combine(_repo.Root, "b", "repo"), "M");

        Assert.NotEqual(first, second);
        Assert.StartsWith(Path.Combine("/runs", "repo-"), first);
        Assert.Equal(first, RunHistory.PathFor("/runs", Path.Combine(_repo.Root, "a", "repo") + "/", "M"));
    }
}

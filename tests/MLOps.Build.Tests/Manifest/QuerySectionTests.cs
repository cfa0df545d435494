using System.Text;
using MLOps.Build.Locking;
using MLOps.Build.Manifest;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Manifest;

/// <summary>Data entries given as queries: what the parser accepts, refuses (at the right place), and what pinning writes.</summary>
public sealed class QuerySectionTests
{
    private static string WithTrain(string train) =>
        "{\n  \"name\": \"M\", \"task\": \"regression\", \"label\": \"y\", \"trainer\": \"Sdca\",\n  \"data\": {\n    \"train\": " + train + "\n  }\n}";

    [Fact]
    public void A_query_is_parsed_with_its_engine_connection_and_pin_and_points_at_its_snapshot()
    {
        var sha = new string('d', 64);
        var (manifest, diagnostics) = Manifests.Parse(WithTrain($"{{ \"sql\": \"SELECT * FROM loans;\", \"engine\": \"postgres\", \"connection\": \"LOANS_DB\", \"sha256\": \"{sha}\", \"rows\": 601 }}"));

        Assert.Empty(diagnostics);
        var train = manifest!.Train!;
        Assert.Equal((QueryEngine.Postgres, "LOANS_DB", 601L), (train.Query!.Engine, train.Query.ConnectionVariable, train.Query.PinnedRows));
        Assert.Equal(sha + ".parquet", Path.GetFileName(train.RelativePath));
        Assert.Equal($"snapshots/{sha}.parquet", train.CardPath);
        Assert.Equal("query (postgres)", train.DisplayName);
        Assert.Equal((4, 23), (train.PathLocation.Line, train.PathLocation.Column)); // the sql value
    }

    [Theory]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"duckbd\" }", "MLOPS1011", "Did you mean 'duckdb'")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"postgres\" }", "MLOPS1003", "no 'connection'")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"path\": \"t.csv\" }", "MLOPS1011", "both 'path' and 'sql'")]
    [InlineData("{ \"sql\": \"\" }", "MLOPS1011", "must not be empty")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"rows\": -3 }", "MLOPS1004", "row count")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"sqlite\" }", "MLOPS1003", "queries SQLite and has no 'connection'")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"adonet\", \"connection\": \"DB\" }", "MLOPS1003", "no 'provider'")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"adonet\", \"connection\": \"DB\", \"provider\": \"My Provider; x\" }", "MLOPS1011", "the provider's assembly name")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"postgres\", \"connection\": \"DB\", \"provider\": \"Npgsql\" }", "MLOPS1011", "is for \"engine\": \"adonet\"")]
    [InlineData("{ \"sql\": \"SELECT 1\", \"engine\": \"sqllite\", \"connection\": \"DB\" }", "MLOPS1011", "Did you mean 'sqlite'")]
    public void Mistakes_are_coded_at_the_entry(string train, string code, string message)
    {
        var (manifest, diagnostics) = Manifests.Parse(WithTrain(train));

        Assert.Null(manifest);
        Assert.Contains(diagnostics, d => d.Id == code && d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_plugged_provider_is_part_of_the_query_s_identity_and_sqlite_names_its_own()
    {
        var adonet = Manifests.Parse(WithTrain("{ \"sql\": \"SELECT 1\", \"engine\": \"adonet\", \"connection\": \"DB\", \"provider\": \"MySqlConnector\" }")).Manifest!.Train!.Query!;
        var other = Manifests.Parse(WithTrain("{ \"sql\": \"SELECT 1\", \"engine\": \"adonet\", \"connection\": \"DB\", \"provider\": \"Microsoft.Data.SqlClient\" }")).Manifest!.Train!.Query!;
        var sqlite = Manifests.Parse(WithTrain("{ \"sql\": \"SELECT 1\", \"engine\": \"sqlite\", \"connection\": \"DB\" }")).Manifest!.Train!.Query!;
        var postgres = Manifests.Parse(WithTrain("{ \"sql\": \"SELECT 1\", \"engine\": \"postgres\", \"connection\": \"DB\" }")).Manifest!.Train!.Query!;

        Assert.Equal(("MySqlConnector", "Microsoft.Data.Sqlite", null), (adonet.ProviderAssembly, sqlite.ProviderAssembly, postgres.ProviderAssembly));
        Assert.NotEqual(adonet.Identity, other.Identity);
        Assert.Equal("postgres\nDB\nSELECT 1", postgres.Identity); // unchanged for built-in engines: their snapshots' records stay valid
        Assert.True(sqlite.Engine.IsPlugged() && adonet.Engine.IsPlugged() && !postgres.Engine.IsPlugged());
    }

    [Fact]
    public void A_connection_string_pasted_into_the_manifest_is_refused_without_being_repeated()
    {
        var (_, diagnostics) = Manifests.Parse(WithTrain("{ \"sql\": \"SELECT 1\", \"engine\": \"postgres\", \"connection\": \"Host=db;Password=hunter2\" }"));

        var error = Assert.Single(diagnostics, d => d.Id == "MLOPS1011");
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("must name an environment variable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pinning_a_query_writes_its_hash_and_row_count_beside_it()
    {
        var json = WithTrain("{\n      \"sql\": \"SELECT * FROM t\"\n    }");
        var manifest = Manifests.Parse(json).Manifest!;
        var hash = new string('e', 64);

        var rewritten = Encoding.UTF8.GetString(ManifestHashWriter.Rewrite(manifest,
            new Dictionary<DataFileReference, string> { [manifest.Train!] = hash }, new Dictionary<DataFileReference, long> { [manifest.Train!] = 1234 }));

        Assert.Equal(json.Replace("\"sql\": \"SELECT * FROM t\"", $"\"sql\": \"SELECT * FROM t\",\n      \"sha256\": \"{hash}\",\n      \"rows\": 1234", StringComparison.Ordinal), rewritten);
        var again = Manifests.Parse(rewritten).Manifest!;
        var repinned = Encoding.UTF8.GetString(ManifestHashWriter.Rewrite(again,
            new Dictionary<DataFileReference, string> { [again.Train!] = hash }, new Dictionary<DataFileReference, long> { [again.Train!] = 1235 }));
        Assert.Equal(rewritten.Replace("1234", "1235", StringComparison.Ordinal), repinned);
    }
}

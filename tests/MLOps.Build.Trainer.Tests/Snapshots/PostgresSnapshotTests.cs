using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Snapshots;
using MLOps.Build.Testing;
using MLOps.Build.Trainer.Snapshots;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Snapshots;

/// <summary>A real PostgreSQL server of the test's own: a table trains a model; credentials never show; a stopped server is not needed once pinned.</summary>
[Collection(SnapshotCollection.Name)]
[Trait(TestTiers.Trait, TestTiers.Server)]
public sealed class PostgresSnapshotTests : IDisposable
{
    private const string Variable = "MLOPS_TEST_TRAINING_DB";

    private readonly TempFolder _folder = new();
    private readonly PostgresServer _server = new();
    private readonly string? _storeBefore = Environment.GetEnvironmentVariable(SnapshotStore.DirectoryVariable);

    public PostgresSnapshotTests()
    {
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("store"));
        Environment.SetEnvironmentVariable(Variable, _server.ConnectionString);
        try
        {
            CreateTable();
        }
        catch
        {
            Dispose(); // xUnit does not dispose a test class whose constructor failed: the server must not outlive it
            throw;
        }
    }

    private void CreateTable()
    {
        _server.Execute("""
            CREATE TABLE penguins (id int PRIMARY KEY, "Body Mass (g)" double precision, "flipper length" numeric(6,1),
              island text, "has tag" boolean, species varchar(40), heavy boolean, "bill depth" real, seen date);
            """);
        Insert(SyntheticData.Csv(360, seed: 3));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _storeBefore);
        Environment.SetEnvironmentVariable(Variable, null);
        _server.Dispose();
        _folder.Dispose();
    }

    /// <summary>The synthetic CSV's rows as INSERTs (its quoted island "Torgersen, north" included).</summary>
    private void Insert(string csv)
    {
        var rows = SyntheticData.Rows(csv).Select(cells =>
        {
            string Text(string s) => s.Length == 0 ? "NULL" : "'" + s.Replace("'", "''") + "'";
            string Number(string s) => s is "" or "NA" ? "NULL" : s;
            return $"({cells[0]}, {Number(cells[1])}, {Number(cells[2])}, {Text(cells[3])}, {Text(cells[4])}, {Text(cells[5])}, {Text(cells[6])}, {Number(cells[7])}, DATE '2024-01-01' + {cells[0]} % 300)";
        });
        _server.Execute("INSERT INTO penguins VALUES " + string.Join(",\n", rows));
    }

    private string WriteManifest(string where = "") =>
        _folder.Write("Penguins.mlmodel.json", SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy")
            .Replace("\"data\": { \"train\": \"train.csv\", \"test\": \"test.csv\" }",
                $"\"data\": {{\n    \"train\": {{ \"sql\": \"SELECT * FROM penguins{where}\", \"engine\": \"postgres\", \"connection\": \"{Variable}\" }},\n    \"testFraction\": 0.3\n  }}",
                StringComparison.Ordinal));

    private (bool Ok, DiagnosticBag Diagnostics) Snapshot(string manifest, bool updateLock = false, Uri? remote = null, bool write = false)
    {
        var diagnostics = new DiagnosticBag();
        var ok = new SnapshotCommand(diagnostics).Run(new SnapshotRequest(manifest, _folder.Root, updateLock)
        {
            RemoteCache = remote is null ? null : new MLOps.Build.Caching.RemoteCacheSettings(remote.AbsoluteUri, write, TimeoutSeconds: 5),
        });
        return (ok, diagnostics);
    }

    [Fact]
    public void A_fresh_machine_restores_the_pinned_snapshot_from_the_remote_cache_with_the_server_down()
    {
        using var cache = new MLOps.Build.Tests.Infrastructure.LoopbackCacheServer();
        var manifest = WriteManifest();
        Assert.True(Snapshot(manifest, updateLock: true, remote: cache.Url, write: true).Ok);
        var sha256 = JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("sha256").GetString()!;
        Assert.True(cache.Store.ContainsKey("cas/" + sha256));
        Assert.Single(cache.Store.Keys, k => k.StartsWith("ac/", StringComparison.Ordinal)); // the entry binds the query to its result

        _server.Stop();
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("fresh-store"));
        var restored = Snapshot(manifest, remote: cache.Url);

        Assert.True(restored.Ok, string.Join("\n", restored.Diagnostics.Items));
        Assert.Contains(sha256, Assert.Single(restored.Diagnostics.Items, d => d.Id == "MLOPS1066").Message);
        Assert.Equal(sha256, Hashing.FileHash.Sha256(Path.Combine(_folder.PathOf("fresh-store"), sha256 + ".parquet")));

        // A broken cache is one warning; the build then needs the database, which is down.
        cache.FailWith = 500;
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("third-store"));
        var broken = Snapshot(manifest, remote: cache.Url);
        Assert.Equal(["MLOPS2031", "MLOPS1060"], broken.Diagnostics.Items.Select(d => d.Id));
    }

    [Fact]
    public void A_table_trains_a_model_and_a_stopped_server_is_not_needed_once_pinned()
    {
        var manifest = WriteManifest();
        var pinned = Snapshot(manifest, updateLock: true);
        Assert.True(pinned.Ok, string.Join("\n", pinned.Diagnostics.Items));
        Assert.Equal(360, JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64());

        _server.Stop();
        var offline = Snapshot(manifest);
        Assert.True(offline.Ok, string.Join("\n", offline.Diagnostics.Items));

        var diagnostics = new DiagnosticBag();
        var output = _folder.PathOf("out");
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp")), string.Join("\n", diagnostics.Items));
        var card = File.ReadAllText(Path.Combine(output, MLOps.Build.IO.ArtifactNames.ModelCard));
        Assert.Contains("\"seen\"", card, StringComparison.Ordinal); // the date column became a feature
        Assert.DoesNotContain(_server.Password, card, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inserted_row_on_a_fresh_store_is_refused_and_the_server_s_errors_carry_no_password()
    {
        var manifest = WriteManifest();
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        _server.Execute("INSERT INTO penguins VALUES (100000, 4100, 201.5, 'Biscoe', true, 'Gentoo', false, 15.2, DATE '2024-06-01')");
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("fresh-store"));

        var changed = Snapshot(manifest);
        Assert.Contains("360 rows when pinned, 361 now (+1)", Assert.Single(changed.Diagnostics.Items, d => d.Id == "MLOPS1061").Message);

        var unknownColumn = Snapshot(WriteManifest(" WHERE wingspan > 3"), updateLock: true);
        Assert.Contains("42703", Assert.Single(unknownColumn.Diagnostics.Items, d => d.Id == "MLOPS1060").Message);

        Environment.SetEnvironmentVariable(Variable, _server.ConnectionString.Replace(_server.Password, _server.Password + "-wrong", StringComparison.Ordinal));
        var refused = Snapshot(manifest, updateLock: true);
        var login = Assert.Single(refused.Diagnostics.Items, d => d.Id == "MLOPS1060");
        Assert.Contains("28P01", login.Message); // invalid password
        foreach (var diagnostic in changed.Diagnostics.Items.Concat(unknownColumn.Diagnostics.Items).Concat(refused.Diagnostics.Items))
        {
            Assert.DoesNotContain(_server.Password, diagnostic.ToCanonicalString(), StringComparison.Ordinal);
        }

        _server.Stop();
        var down = Snapshot(manifest, updateLock: true);
        Assert.Contains("Failed to connect", Assert.Single(down.Diagnostics.Items, d => d.Id == "MLOPS1060").Message);
    }

    [Fact]
    public void An_edited_query_whose_pin_was_not_updated_runs_again_instead_of_using_the_old_snapshot()
    {
        var manifest = WriteManifest();
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("FROM penguins", "FROM penguins WHERE id < 100", StringComparison.Ordinal));

        var edited = Snapshot(manifest);

        Assert.False(edited.Ok);
        Assert.Contains("360 rows when pinned, 100 now (-260)", Assert.Single(edited.Diagnostics.Items, d => d.Id == "MLOPS1061").Message);
    }

    [Fact]
    public void A_password_echoed_in_a_message_is_masked()
    {
        var connection = $"Host=db;Username=u;Password=hunter2-{Guid.NewGuid():N};SSL Password=p@ss";
        var password = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connection }["Password"]!.ToString()!;

        var shown = ConnectionSecrets.Redact($"could not log in with {password} (ssl p@ss) using '{connection}'", connection);

        Assert.Equal("could not log in with *** (ssl ***) using '***'", shown);
    }
}

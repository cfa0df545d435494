using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Snapshots;
using MLOps.Build.Trainer.Snapshots;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Snapshots;

/// <summary>DuckDB queries over the repository's files: snapshot, pin, reuse, change, confinement, refusals.</summary>
[Collection(SnapshotCollection.Name)]
public sealed class DuckDbSnapshotTests : IDisposable
{
    private const string Regions = "island,region\nBiscoe,south\nDream,north\n\"Torgersen, north\",north\n";
    private const string TrainSql = "SELECT t.*, r.region FROM 'train.csv' t JOIN 'data/regions.csv' r USING (island)";
    private const string TestSql = "SELECT t.*, r.region FROM 'test.csv' t JOIN 'data/regions.csv' r USING (island);";

    private readonly TempFolder _folder = new();
    private readonly string? _storeBefore = Environment.GetEnvironmentVariable(SnapshotStore.DirectoryVariable);

    public DuckDbSnapshotTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(120, seed: 2));
        _folder.Write("data/regions.csv", Regions);
        UseStore("store");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _storeBefore);
        _folder.Dispose();
    }

    private void UseStore(string name) => Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf(name));

    private string WriteManifest(string train, string test) =>
        _folder.Write("Penguins.mlmodel.json", SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy")
            .Replace("\"data\": { \"train\": \"train.csv\", \"test\": \"test.csv\" }",
                $"\"data\": {{\n    \"train\": {train},\n    \"test\": {test}\n  }}", StringComparison.Ordinal));

    private static string Query(string sql) => $"{{ \"sql\": {JsonSerializer.Serialize(sql)} }}";

    private (bool Ok, DiagnosticBag Diagnostics) Snapshot(string manifest, bool updateLock = false)
    {
        var diagnostics = new DiagnosticBag();
        var ok = new SnapshotCommand(diagnostics).Run(new SnapshotRequest(manifest, _folder.Root, updateLock));
        return (ok, diagnostics);
    }

    [Fact]
    public void A_query_joining_two_csv_files_is_pinned_by_its_snapshot_and_trains_a_model()
    {
        var manifest = WriteManifest(Query(TrainSql), Query(TestSql));

        var unpinned = Snapshot(manifest);
        Assert.False(unpinned.Ok);
        Assert.Equal(["MLOPS1022", "MLOPS1022"], unpinned.Diagnostics.Items.Select(d => d.Id));
        Assert.Contains("its snapshot has 240 rows", unpinned.Diagnostics.Items[0].Message);

        var pinned = Snapshot(manifest, updateLock: true);
        Assert.True(pinned.Ok, string.Join("\n", pinned.Diagnostics.Items));
        Assert.Equal(["MLOPS1025", "MLOPS1025"], pinned.Diagnostics.Items.Select(d => d.Id));
        var entry = JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train");
        Assert.Equal(240, entry.GetProperty("rows").GetInt64());
        var sha256 = entry.GetProperty("sha256").GetString()!;
        Assert.True(File.Exists(Path.Combine(_folder.PathOf("store"), sha256 + ".parquet")));
        Assert.Equal(sha256, Hashing.FileHash.Sha256(Path.Combine(_folder.PathOf("store"), sha256 + ".parquet")));

        // The same rows give the same bytes: taking the snapshots again changes no pin.
        var before = File.ReadAllBytes(manifest);
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        Assert.Equal(before, File.ReadAllBytes(manifest));

        var diagnostics = new DiagnosticBag();
        var output = _folder.PathOf("out");
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp")), string.Join("\n", diagnostics.Items));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, MLOps.Build.IO.ArtifactNames.ModelCard)));
        Assert.Contains(card.RootElement.GetProperty("inputs").EnumerateArray(), i => i.GetProperty("column").GetString() == "region");
        var trainCard = card.RootElement.GetProperty("data").GetProperty("train");
        Assert.Equal($"snapshots/{sha256}.parquet", trainCard.GetProperty("path").GetString());
        Assert.Equal(240, trainCard.GetProperty("rows").GetInt64());
        Assert.Equal("duckdb", trainCard.GetProperty("query").GetProperty("engine").GetString());
        Assert.Equal(Hashing.FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(TrainSql)), trainCard.GetProperty("query").GetProperty("sqlSha256").GetString());
    }

    [Fact]
    public void A_pinned_snapshot_at_hand_is_used_without_running_the_query()
    {
        var manifest = WriteManifest(Query(TrainSql), Query(TestSql));
        Assert.True(Snapshot(manifest, updateLock: true).Ok);

        var again = Snapshot(manifest);

        // A query that runs reports its snapshot (MLOPS1064 when it matches the pin): here nothing ran.
        Assert.True(again.Ok, string.Join("\n", again.Diagnostics.Items));
        Assert.Empty(again.Diagnostics.Items);

        // A file the query reads deleted is a changed input: the query runs again, and says why it cannot.
        File.Delete(_folder.PathOf("train.csv"));
        var missing = Snapshot(manifest);
        Assert.Contains("No files found", Assert.Single(missing.Diagnostics.Items, d => d.Id == "MLOPS1060").Message);
    }

    [Fact]
    public void A_changed_result_on_a_fresh_store_is_refused_with_the_row_difference_and_re_pinned_on_request()
    {
        var manifest = WriteManifest(Query(TrainSql), Query(TestSql));
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        File.AppendAllText(_folder.PathOf("train.csv"), "9999,4000,200,Biscoe,true,Adelie,false,18.5\n");
        UseStore("fresh-store");
        var before = File.ReadAllBytes(manifest);

        var changed = Snapshot(manifest);

        Assert.False(changed.Ok);
        var error = Assert.Single(changed.Diagnostics.Items, d => d.Id == "MLOPS1061");
        Assert.Contains("240 rows when pinned, 241 now (+1)", error.Message);
        Assert.Equal(before, File.ReadAllBytes(manifest));

        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        Assert.Equal(241, JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64());
    }

    [Fact]
    public void A_changed_file_the_query_reads_runs_it_again_on_the_same_machine()
    {
        var manifest = WriteManifest(Query(TrainSql), Query(TestSql));
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        var store = new SnapshotStore(_folder.PathOf("store"));
        var train = MLOps.Build.Manifest.ManifestParser.ParseFile(manifest, new DiagnosticBag(), store)!.Train!;
        Assert.Equal(["data/regions.csv", "train.csv"], QuerySources.Files(train, _folder.Root).Select(f => Path.GetRelativePath(_folder.Root, f).Replace('\\', '/')));
        Assert.True(SnapshotRecord.IsCurrent(train, _folder.Root, store, Hashing.FileHash.Sha256));

        // A region renamed: the pinned snapshot is still in the store, but no longer what the query gives.
        File.WriteAllText(_folder.PathOf("data/regions.csv"), Regions.Replace("south", "far south", StringComparison.Ordinal));
        Assert.False(SnapshotRecord.IsCurrent(train, _folder.Root, store, Hashing.FileHash.Sha256));
        var changed = Snapshot(manifest);

        Assert.False(changed.Ok);
        Assert.Equal(["MLOPS1061", "MLOPS1061"], changed.Diagnostics.Items.Select(d => d.Id)); // both queries join the regions
        Assert.Contains("240 rows when pinned, 240 now (+0)", changed.Diagnostics.Items[0].Message);
    }

    [Fact]
    public void A_hive_partitioned_folder_of_parquet_files_gives_its_partition_keys_as_columns_and_is_watched()
    {
        // The partitioned folder, as a warehouse export would write it: events/island=…/data_0.parquet.
        DuckDbNative.Register();
        using (var writer = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            writer.Open();
            using var command = writer.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM read_csv('{_folder.PathOf("train.csv")}')) TO '{_folder.PathOf("events")}' (FORMAT parquet, PARTITION_BY (island))";
            command.ExecuteNonQuery();
        }
        const string sql = "SELECT * FROM read_parquet('events/**/*.parquet', hive_partitioning = true)";
        var manifest = WriteManifest(Query(sql), Query(sql));

        var result = Snapshot(manifest, updateLock: true);

        Assert.True(result.Ok, string.Join("\n", result.Diagnostics.Items));
        var store = new SnapshotStore(_folder.PathOf("store"));
        var train = MLOps.Build.Manifest.ManifestParser.ParseFile(manifest, new DiagnosticBag(), store)!.Train!;
        Assert.Equal(240, train.Query!.PinnedRows);
        Assert.Equal(3, QuerySources.Files(train, _folder.Root).Count); // one file per island
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp")), string.Join("\n", diagnostics.Items));
        Assert.Contains("\"island\"", File.ReadAllText(Path.Combine(_folder.PathOf("out"), MLOps.Build.IO.ArtifactNames.ModelCard)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_drift_check_reads_an_unpinned_current_data_query_taken_again_on_every_run()
    {
        _folder.Write("later.csv", SyntheticData.Csv(200, seed: 5, massShift: 600));
        var manifest = _folder.Write("Penguins.mlmodel.json", SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy",
            extra: ",\n  \"drift\": { \"current\": { \"sql\": \"SELECT * FROM 'later.csv' WHERE \\\"Body Mass (g)\\\" > 3500\" } }"));
        var output = _folder.PathOf("out");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp")), string.Join("\n", diagnostics.Items));

        var taken = Snapshot(manifest);
        Assert.True(taken.Ok, string.Join("\n", taken.Diagnostics.Items)); // current data need not be pinned
        diagnostics = new DiagnosticBag();
        Assert.True(new MLOps.Build.Trainer.Drift.DriftCommand(diagnostics).Run(new MLOps.Build.Trainer.Drift.DriftRequest(manifest, output, "drift-fp")), string.Join("\n", diagnostics.Items));

        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "drift.json")));
        var current = report.RootElement.GetProperty("current");
        Assert.Equal("duckdb", current.GetProperty("query").GetProperty("engine").GetString());
        var rows = current.GetProperty("rows").GetInt64();
        Assert.InRange(rows, 150, 199); // the WHERE ran: not all 200 rows
        Assert.Contains(diagnostics.Items, d => d.Id == "MLOPS4100" && d.Message.Contains("features drift (Body Mass (g))", StringComparison.Ordinal));
        Assert.Contains(diagnostics.Items, d => d.Id == "MLOPS4106"); // the estimate without labels works on it too

        // New rows arrive: the next run takes the query's result again.
        File.AppendAllText(_folder.PathOf("later.csv"), "9999,5000,200,Biscoe,true,Adelie,yes,18.5\n");
        Assert.True(Snapshot(manifest).Ok);
        Assert.True(new MLOps.Build.Trainer.Drift.DriftCommand(new DiagnosticBag()).Run(new MLOps.Build.Trainer.Drift.DriftRequest(manifest, output, "drift-fp2")));
        using var again = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "drift.json")));
        Assert.Equal(rows + 1, again.RootElement.GetProperty("current").GetProperty("rows").GetInt64());
    }

    [Fact]
    public void Literals_are_read_as_sql_writes_them()
    {
        Assert.Equal(["a.csv", "it's.csv", "", "x"], QuerySources.Literals("SELECT * FROM 'a.csv' JOIN 'it''s.csv' WHERE s = '' OR t = 'x'"));
    }

    [Theory]
    [InlineData("SELECT * FROM '../outside.csv'")]
    [InlineData("SELECT * FROM 'link.csv'")]
    public void Files_outside_the_repository_are_refused_even_through_a_link(string sql)
    {
        var outside = Path.Combine(Path.GetDirectoryName(_folder.Root)!, "outside.csv");
        File.WriteAllText(outside, "a,b\n1,2\n");
        File.CreateSymbolicLink(_folder.PathOf("link.csv"), outside);
        try
        {
            var result = Snapshot(WriteManifest(Query(sql), Query(TestSql)), updateLock: true);

            Assert.False(result.Ok);
            var error = Assert.Single(result.Diagnostics.Items, d => d.Id == "MLOPS1060");
            Assert.Contains("Permission Error", error.Message);
            Assert.Equal(6, error.Location.Line); // the train query's line
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_column_a_snapshot_cannot_hold_is_named()
    {
        var result = Snapshot(WriteManifest(Query("SELECT [1, 2] AS readings, 'x' AS species"), Query(TestSql)), updateLock: true);

        var error = Assert.Single(result.Diagnostics.Items, d => d.Id == "MLOPS1062");
        Assert.Contains("column 'readings'", error.Message);
    }

    [Fact]
    public void Syntax_errors_and_empty_results_are_coded_at_the_query()
    {
        var result = Snapshot(WriteManifest(Query("SELEC * FROM 'train.csv'"), Query("SELECT * FROM 'test.csv' WHERE 1 = 0")), updateLock: true);

        Assert.False(result.Ok);
        Assert.Equal(["MLOPS1060", "MLOPS1032"], result.Diagnostics.Items.Select(d => d.Id));
        Assert.Contains("syntax error", result.Diagnostics.Items[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([6, 7], result.Diagnostics.Items.Select(d => d.Location.Line));
    }

    [Fact]
    public void A_connection_variable_that_is_not_set_is_named()
    {
        var result = Snapshot(WriteManifest(
            "{ \"sql\": \"SELECT 1 AS x\", \"engine\": \"postgres\", \"connection\": \"MLOPS_TEST_UNSET_VARIABLE\" }", Query(TestSql)));

        var error = Assert.Single(result.Diagnostics.Items, d => d.Id == "MLOPS1063");
        Assert.Contains("'MLOPS_TEST_UNSET_VARIABLE'", error.Message);
    }
}

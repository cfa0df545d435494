using System.Text.Json;
using Microsoft.Data.Sqlite;
using MLOps.Build.Diagnostics;
using MLOps.Build.Snapshots;
using MLOps.Build.Trainer.Snapshots;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Snapshots;

/// <summary>
/// Providers plugged in by the project: SQLite (Microsoft.Data.Sqlite) and the same provider named as any ADO.NET one,
/// loaded from the package assets the build hands over (here: the ones copied beside the tests).
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class SqliteSnapshotTests : IDisposable
{
    private const string Variable = "MLOPS_TEST_SQLITE_DB";

    private readonly TempFolder _folder = new();
    private readonly string? _storeBefore = Environment.GetEnvironmentVariable(SnapshotStore.DirectoryVariable);
    private readonly string? _assetsBefore = Environment.GetEnvironmentVariable(QueryProviderAssets.Variable);

    public SqliteSnapshotTests()
    {
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("store"));
        Environment.SetEnvironmentVariable(Variable, "Data Source=data/penguins.db");
        HandOverAssets(_folder.PathOf("assets.tsv"));
        Directory.CreateDirectory(_folder.PathOf("data"));
        Execute("""
            CREATE TABLE penguins (id INTEGER PRIMARY KEY, "Body Mass (g)" REAL, "flipper length" REAL, island TEXT,
              "has tag" INTEGER, species TEXT, heavy TEXT, "bill depth" REAL, tag INTEGER);
            """);
        Insert(SyntheticData.Csv(300, seed: 4));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _storeBefore);
        Environment.SetEnvironmentVariable(QueryProviderAssets.Variable, _assetsBefore);
        Environment.SetEnvironmentVariable(Variable, null);
        _folder.Dispose();
    }

    /// <summary>What a build hands over from ResolvePackageAssets: the provider's assemblies and every runtime's native library.</summary>
    private static void HandOverAssets(string path)
    {
        var bin = AppContext.BaseDirectory;
        var managed = Directory.GetFiles(bin, "*.dll")
            .Where(f => Path.GetFileName(f).StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("SQLitePCLRaw", StringComparison.Ordinal))
            .Select(f => new QueryProviderAsset(false, "", f));
        var natives = Directory.GetDirectories(Path.Combine(bin, "runtimes"))
            .Where(d => Directory.Exists(Path.Combine(d, "native")))
            .SelectMany(d => Directory.GetFiles(Path.Combine(d, "native")).Select(f => new QueryProviderAsset(true, Path.GetFileName(d), f)));
        QueryProviderAssets.Write(path, managed.Concat(natives));
        Environment.SetEnvironmentVariable(QueryProviderAssets.Variable, path);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.PathOf("data/penguins.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The rows, with SQLite's per-value typing exercised: "tag" holds integers in most rows and text in some.</summary>
    private void Insert(string csv)
    {
        var rows = SyntheticData.Rows(csv).Select(cells =>
        {
            string Text(string s) => s.Length == 0 ? "NULL" : "'" + s.Replace("'", "''") + "'";
            string Number(string s) => s is "" or "NA" ? "NULL" : s;
            var id = int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture);
            var tag = id % 25 == 0 ? "'T-" + id + "'" : (id % 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return $"({cells[0]}, {Number(cells[1])}, {Number(cells[2])}, {Text(cells[3])}, {(cells[4] == "true" ? 1 : 0)}, {Text(cells[5])}, {Text(cells[6])}, {Number(cells[7])}, {tag})";
        });
        Execute("INSERT INTO penguins VALUES " + string.Join(",\n", rows));
    }

    private string WriteManifest(string entry) =>
        _folder.Write("Penguins.mlmodel.json", SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy")
            .Replace("\"data\": { \"train\": \"train.csv\", \"test\": \"test.csv\" }",
                $"\"data\": {{\n    \"train\": {entry},\n    \"testFraction\": 0.3\n  }}", StringComparison.Ordinal));

    private static string Query(string sql, string engine = "sqlite", string extra = "") =>
        $"{{ \"sql\": {JsonSerializer.Serialize(sql)}, \"engine\": \"{engine}\", \"connection\": \"{Variable}\"{extra} }}";

    private (bool Ok, DiagnosticBag Diagnostics) Snapshot(string manifest, bool updateLock = false)
    {
        var diagnostics = new DiagnosticBag();
        var ok = new SnapshotCommand(diagnostics).Run(new SnapshotRequest(manifest, _folder.Root, updateLock));
        return (ok, diagnostics);
    }

    private string PinnedSnapshot(string manifest) =>
        _folder.PathOf("store/" + JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("sha256").GetString() + ".parquet");

    /// <summary>The message of the one diagnostic with this code; all of them when there is not exactly one.</summary>
    private static string Only(DiagnosticBag diagnostics, string id)
    {
        var matching = diagnostics.Items.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("\n", diagnostics.Items)}");
        return matching[0].Message;
    }

    [Fact]
    public async Task A_sqlite_table_trains_a_model_with_each_column_typed_by_its_values()
    {
        var manifest = WriteManifest(Query("SELECT *, \"Body Mass (g)\" / 1000.0 AS kilograms FROM penguins"));

        var pinned = Snapshot(manifest, updateLock: true);

        Assert.True(pinned.Ok, string.Join("\n", pinned.Diagnostics.Items));
        Assert.Equal("MLOPS1025", Assert.Single(pinned.Diagnostics.Items).Id);
        var snapshot = PinnedSnapshot(manifest);
        Parquet.Schema.ParquetSchema schema;
        using (var stream = File.OpenRead(snapshot))
        {
            await using var parquet = await Parquet.ParquetReader.CreateAsync(stream);
            schema = parquet.Schema;
        }
        Assert.Equal(typeof(ReadOnlyMemory<char>), schema.DataFields.Single(f => f.Name == "tag").ClrType); // integers and text: text, never 0 for "T-25"
        Assert.Equal(typeof(long), schema.DataFields.Single(f => f.Name == "has tag").ClrType);
        Assert.Equal(typeof(double), schema.DataFields.Single(f => f.Name == "kilograms").ClrType); // an expression: no declared type
        var before = File.ReadAllBytes(snapshot);

        // The database was opened read-only, and the same rows give the same bytes.
        Assert.True(Snapshot(manifest, updateLock: true).Ok);
        Assert.Equal(before, File.ReadAllBytes(PinnedSnapshot(manifest)));

        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp")), string.Join("\n", diagnostics.Items));

        Execute("INSERT INTO penguins VALUES (100000, 4100, 201.5, 'Biscoe', 1, 'Gentoo', 'no', 15.2, 3)");
        Environment.SetEnvironmentVariable(SnapshotStore.DirectoryVariable, _folder.PathOf("fresh-store"));
        var changed = Snapshot(manifest);
        Assert.Contains("300 rows when pinned, 301 now (+1)", Only(changed.Diagnostics, "MLOPS1061"));
    }

    [Fact]
    public async Task Any_ado_net_provider_the_project_references_runs_the_query_with_positional_ordering()
    {
        var manifest = WriteManifest(Query("SELECT id, island, species, \"Body Mass (g)\", \"flipper length\", \"has tag\", heavy, \"bill depth\" FROM penguins ORDER BY id DESC",
            engine: "adonet", extra: ", \"provider\": \"Microsoft.Data.Sqlite\""));

        var pinned = Snapshot(manifest, updateLock: true);

        Assert.True(pinned.Ok, string.Join("\n", pinned.Diagnostics.Items));
        var ids = new long?[300];
        using (var stream = File.OpenRead(PinnedSnapshot(manifest)))
        {
            await using var parquet = await Parquet.ParquetReader.CreateAsync(stream);
            using var group = parquet.OpenRowGroupReader(0);
            Assert.Equal(300, group.RowCount);
            await group.ReadAsync(parquet.Schema.DataFields[0], ids.AsMemory(), null);
        }
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long?)i), ids); // ordered by every column, whatever the query's ORDER BY
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(manifest, _folder.PathOf("out"), "fp")), string.Join("\n", diagnostics.Items));
    }

    [Fact]
    public void A_missing_database_a_provider_not_referenced_and_an_assembly_without_a_factory_are_coded()
    {
        Environment.SetEnvironmentVariable(Variable, "Data Source=data/nowhere.db");
        var missing = Snapshot(WriteManifest(Query("SELECT * FROM penguins")), updateLock: true);
        var missingMessage = Only(missing.Diagnostics, "MLOPS1060"); Assert.True(missingMessage.Contains("unable to open database file", StringComparison.Ordinal), missingMessage);
        Assert.False(File.Exists(_folder.PathOf("data/nowhere.db"))); // read-only: no empty database left behind

        Environment.SetEnvironmentVariable(Variable, "Data Source=data/penguins.db");
        var noFactory = Snapshot(WriteManifest(Query("SELECT * FROM penguins", engine: "adonet", extra: ", \"provider\": \"SQLitePCLRaw.core\"")), updateLock: true);
        Assert.Contains("holds no ADO.NET provider factory", Only(noFactory.Diagnostics, "MLOPS1065"));

        var notReferenced = Snapshot(WriteManifest(Query("SELECT * FROM t", engine: "adonet", extra: ", \"provider\": \"MySqlConnector\"")), updateLock: true);
        Assert.Contains("<PackageReference Include=\"MySqlConnector\"", Only(notReferenced.Diagnostics, "MLOPS1065"));

        var blob = Snapshot(WriteManifest(Query("SELECT species, randomblob(4) AS noise FROM penguins")), updateLock: true);
        Assert.Contains("column 'noise' of type blob", Only(blob.Diagnostics, "MLOPS1062"));
    }
}

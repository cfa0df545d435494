using System.Text.Json;
using MLOps.Build.EndToEnd.Tests.Infrastructure;
using MLOps.Build.Testing;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>
/// Data where it lives, as a user meets it: a fresh consumer whose training data is a DuckDB query joining two of its
/// CSV files, and one whose data is a PostgreSQL table on a server of the test's own; pinned snapshots, a stopped
/// server, a changed result on a fresh machine, re-pinning, and no password anywhere.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class QuerySourceTests(PackagesFixture packages)
{
    /// <summary>Restores DuckDB's native library for the build only (not copied into the app), as docs/data-sources.md says.</summary>
    private const string DuckDbReference = """
          <ItemGroup>
            <PackageReference Include="DuckDB.NET.Bindings.Full" Version="1.5.6.1" ExcludeAssets="all" />
          </ItemGroup>
        """;

    private const string DuckDbManifest = """
        {
          "name": "LoanApproval",
          "task": "binary",
          "label": "approved",
          "data": {
            "train": { "sql": "SELECT l.*, b.band FROM 'data/loans-train.csv' l JOIN 'data/bands.csv' b ON l.\"Employment, Type\" = b.type" },
            "test": { "sql": "SELECT l.*, b.band FROM 'data/loans-test.csv' l JOIN 'data/bands.csv' b ON l.\"Employment, Type\" = b.type" }
          },
          "exclude": ["Applicant ID"],
          "trainer": { "name": "FastTree", "options": { "NumberOfTrees": 30, "NumberOfLeaves": 8 } },
          "seed": 3
        }
        """;

    [Fact]
    public void A_duckdb_query_joining_two_csv_files_trains_and_a_changed_result_on_a_fresh_machine_is_refused_until_re_pinned()
    {
        using var project = new ConsumerProject(packages, "DuckLoans") { ExtraProjectXml = DuckDbReference };
        project.Write("Models/data/loans-train.csv", ConsumerData.Loans(600, seed: 11));
        project.Write("Models/data/loans-test.csv", ConsumerData.Loans(200, seed: 12));
        project.Write("Models/data/bands.csv", "type,band\nsalaried,A\nself-employed,C\n\"contract, fixed term\",B\n");
        var manifest = project.Write("Models/LoanApproval.mlmodel.json", DuckDbManifest);
        project.SetModels("Models/LoanApproval.mlmodel.json");

        project.Verify(nameof(A_duckdb_query_joining_two_csv_files_trains_and_a_changed_result_on_a_fresh_machine_is_refused_until_re_pinned), () =>
        {
            var unpinned = project.Build();
            Assert.False(unpinned.Succeeded);
            Assert.Equal([(manifest, 6), (manifest, 7)], unpinned.WithCode("MLOPS1022").Select(d => (d.File, d.Line)).Distinct());

            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains("MLOPS2010: LoanApproval: trained FastTree on 600 rows, tested on 200", first.Output);
            var train = JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train");
            Assert.Equal(600, train.GetProperty("rows").GetInt64());
            var snapshot = Path.Combine(project.CacheDirectory, "snapshots", train.GetProperty("sha256").GetString() + ".parquet");
            Assert.True(File.Exists(snapshot), snapshot);
            using (var card = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/LoanApproval/modelcard.json"))))
            {
                Assert.Contains(card.RootElement.GetProperty("inputs").EnumerateArray(), i => i.GetProperty("column").GetString() == "band");
                Assert.Equal("duckdb", card.RootElement.GetProperty("data").GetProperty("train").GetProperty("query").GetProperty("engine").GetString());
            }
            // DuckDB served the build only: the app carries no native DuckDB library.
            Assert.Empty(Directory.GetFiles(project.PathOf("bin"), "*duckdb*", SearchOption.AllDirectories));
            var run = project.RunApp();
            Assert.True(run.Succeeded, run.Output);

            // dotnet mlops status says where the data came from.
            var tools = project.PathOf(".tools");
            var install = DotNet.Run(project.Root, null, "tool", "install", "MLOps.Cli", "--tool-path", tools, "--version", packages.Version, "--add-source", packages.Feed);
            Assert.True(install.Succeeded, install.Output);
            var status = DotNet.RunProgram(Path.Combine(tools, "dotnet-mlops"), project.Root, project.Environment, "status", "--json");
            Assert.True(status.Succeeded, status.Output);
            var source = JsonDocument.Parse(status.Output).RootElement.GetProperty("models")[0].GetProperty("data")[0];
            Assert.Equal(("data.train", "duckdb", 600L), (source.GetProperty("role").GetString(), source.GetProperty("engine").GetString(), source.GetProperty("rows").GetInt64()));
            Assert.Equal(train.GetProperty("sha256").GetString(), source.GetProperty("sha256").GetString());

            // Nothing changed: no query runs, nothing trains.
            var again = project.Build();
            Assert.True(again.Succeeded, again.Output);
            Assert.Contains("MLOPS2011: LoanApproval is up to date", again.Output);
            Assert.DoesNotContain("MLOPS1064", again.Output);

            // A fresh machine (an empty cache) whose data changed: the query runs and its result is not the pinned one.
            File.AppendAllText(project.PathOf("Models/data/loans-train.csv"), "A9999,50000,10.0,salaried,true,yes\n");
            project.CacheDirectory = project.PathOf(".mlops-cache-fresh");
            var changed = project.Build();
            Assert.False(changed.Succeeded);
            var refusal = Assert.Single(changed.WithCode("MLOPS1061").DistinctBy(d => d.Message));
            Assert.Equal((manifest, 6), (refusal.File, refusal.Line)); // the train entry's sha256, written on its line
            Assert.Contains("600 rows when pinned, 601 now (+1)", refusal.Message);

            var repinned = project.Build("MLOpsUpdateLock=true");
            Assert.True(repinned.Succeeded, repinned.Output);
            Assert.Contains("MLOPS2010: LoanApproval: trained FastTree on 601 rows", repinned.Output);
        });
    }

    [Fact]
    public void A_sqlite_database_read_through_the_project_s_own_provider_trains_and_a_changed_result_is_refused()
    {
        using var project = new ConsumerProject(packages, "LiteLoans")
        {
            // The provider is an ordinary package of the project; MLOps.Build ships none.
            ExtraProjectXml = """
                  <ItemGroup>
                    <PackageReference Include="Microsoft.Data.Sqlite" Version="11.0.0" />
                  </ItemGroup>
                """,
        };
        var database = project.PathOf("Models/data/loans.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        ExecuteSqlite(database, """
            CREATE TABLE loans (applicant TEXT PRIMARY KEY, income REAL, dti REAL, employment TEXT, guarantor INTEGER, approved INTEGER);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)
            INSERT INTO loans
            SELECT 'A' || i, 20000 + (i * 7919 % 130000), (i * 31 % 600) / 10.0, CASE i % 3 WHEN 0 THEN 'salaried' WHEN 1 THEN 'self-employed' ELSE 'contract' END,
                   i % 2 = 0, (20000 + (i * 7919 % 130000)) / 1000.0 - (i * 31 % 600) / 10.0 * 1.5 + CASE WHEN i % 2 = 0 THEN 15 ELSE 0 END + CASE WHEN i % 3 = 0 THEN 10 ELSE 0 END > 55
            FROM n;
            """);
        // Relative to the manifest's folder, like every data path.
        project.ExtraEnvironment["LOANS_SQLITE"] = "Data Source=data/loans.db";
        var manifest = project.Write("Models/Loans.mlmodel.json", """
            {
              "name": "Loans",
              "task": "binary",
              "label": "approved",
              "data": {
                "train": { "sql": "SELECT income, dti, employment, guarantor, approved = 1 AS approved FROM loans", "engine": "sqlite", "connection": "LOANS_SQLITE" },
                "testFraction": 0.25
              },
              "trainer": "FastTree",
              "seed": 5
            }
            """);
        project.SetModels("Models/Loans.mlmodel.json");

        project.Verify(nameof(A_sqlite_database_read_through_the_project_s_own_provider_trains_and_a_changed_result_is_refused), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains("MLOPS2010: Loans: trained FastTree", first.Output);
            Assert.Equal(700, JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64());
            using (var card = JsonDocument.Parse(File.ReadAllBytes(project.PathOf("obj/mlops/Loans/modelcard.json"))))
            {
                Assert.Equal("sqlite", card.RootElement.GetProperty("data").GetProperty("train").GetProperty("query").GetProperty("engine").GetString());
            }

            // A fresh machine, a row more: the build stops at the pin.
            ExecuteSqlite(database, "INSERT INTO loans VALUES ('B1', 91000, 12.5, 'salaried', 1, 1)");
            project.CacheDirectory = project.PathOf(".mlops-cache-fresh");
            var changed = project.Build();
            Assert.False(changed.Succeeded);
            Assert.Contains("700 rows when pinned, 701 now (+1)", Assert.Single(changed.WithCode("MLOPS1061")).Message);
        });
    }

    private static void ExecuteSqlite(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    [Trait(TestTiers.Trait, TestTiers.Server)]
    public void A_postgresql_table_trains_the_stopped_server_is_not_needed_and_no_password_is_written_anywhere()
    {
        using var server = new PostgresServer();
        server.Execute("""
            CREATE TABLE loans (applicant text PRIMARY KEY, income double precision, dti numeric(5,1), employment text, guarantor boolean, approved boolean);
            INSERT INTO loans
            SELECT 'A' || i, 20000 + (i * 7919 % 130000), (i * 31 % 600) / 10.0, (ARRAY['salaried','self-employed','contract'])[1 + i % 3], i % 2 = 0,
                   (20000 + (i * 7919 % 130000)) / 1000.0 - (i * 31 % 600) / 10.0 * 1.5 + CASE WHEN i % 2 = 0 THEN 15 ELSE 0 END + CASE WHEN i % 3 = 0 THEN 10 ELSE 0 END > 55
            FROM generate_series(1, 800) AS i;
            """);
        using var project = new ConsumerProject(packages, "PgLoans");
        project.ExtraEnvironment["LOANS_DB"] = server.ConnectionString;
        var manifest = project.Write("Models/Loans.mlmodel.json", """
            {
              "name": "Loans",
              "task": "binary",
              "label": "approved",
              "data": {
                "train": { "sql": "SELECT income, dti, employment, guarantor, approved FROM loans", "engine": "postgres", "connection": "LOANS_DB" },
                "testFraction": 0.25
              },
              "trainer": "FastTree",
              "seed": 5
            }
            """);
        project.SetModels("Models/Loans.mlmodel.json");

        project.Verify(nameof(A_postgresql_table_trains_the_stopped_server_is_not_needed_and_no_password_is_written_anywhere), () =>
        {
            var first = project.Build("MLOpsUpdateLock=true");
            Assert.True(first.Succeeded, first.Output);
            Assert.Contains("MLOPS2010: Loans: trained FastTree", first.Output);
            Assert.Equal(800, JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64());

            // The server goes away, and a changed seed makes the build train again: from the pinned snapshot.
            server.Stop();
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"seed\": 5", "\"seed\": 6", StringComparison.Ordinal));
            var offline = project.Build();
            Assert.True(offline.Succeeded, offline.Output);
            Assert.Contains("MLOPS2010: Loans: trained FastTree", offline.Output);
            Assert.DoesNotContain("MLOPS1060", offline.Output);

            var outputs = new[] { first.Output, offline.Output };
            Assert.All(outputs, o => Assert.DoesNotContain(server.Password, o, StringComparison.Ordinal));
            foreach (var file in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(project.CacheDirectory, "*", SearchOption.AllDirectories)))
            {
                Assert.False(Contents(file).AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(server.Password)) >= 0, $"the password is in {file}");
            }
        });
    }

    /// <summary>A file's bytes; a binlog's decompressed (it is a gzip stream), so that what it recorded is searched.</summary>
    private static byte[] Contents(string path)
    {
        if (!path.EndsWith(".binlog", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(path);
        }
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}

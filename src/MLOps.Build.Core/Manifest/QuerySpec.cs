using MLOps.Build.Diagnostics;

namespace MLOps.Build.Manifest;

/// <summary>The SQL engine a data entry's query runs on.</summary>
public enum QueryEngine
{
    /// <summary>DuckDB in process, over the repository's CSV and Parquet files (or a database file a connection names).</summary>
    DuckDb,

    /// <summary>A PostgreSQL server, through Npgsql.</summary>
    Postgres,

    /// <summary>A SQLite database, through Microsoft.Data.Sqlite restored by the user's project.</summary>
    Sqlite,

    /// <summary>Any ADO.NET provider the user's project references, named by its assembly (<see cref="QuerySpec.Provider"/>).</summary>
    AdoNet,
}

public static class QueryEngines
{
    /// <summary>The manifest's names, in <see cref="QueryEngine"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["duckdb", "postgres", "sqlite", "adonet"];

    /// <summary>The assembly of Microsoft.Data.Sqlite, the provider <see cref="QueryEngine.Sqlite"/> plugs in.</summary>
    public const string SqliteProvider = "Microsoft.Data.Sqlite";

    /// <summary>Whether the engine's provider is loaded from the user's project (not shipped in the trainer).</summary>
    public static bool IsPlugged(this QueryEngine engine) => engine is QueryEngine.Sqlite or QueryEngine.AdoNet;

    /// <summary>Whether a query on the engine needs a connection string (DuckDB runs in memory without one).</summary>
    public static bool NeedsConnection(this QueryEngine engine) => engine != QueryEngine.DuckDb;

    public static string ToName(this QueryEngine engine) => Names[(int)engine];

    public static bool TryParse(string name, out QueryEngine engine)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                engine = (QueryEngine)i;
                return true;
            }
        }
        engine = default;
        return false;
    }
}

/// <summary>
/// A data entry given as a query: <c>{ "sql": "…", "engine": "duckdb", "connection": "ENV_VAR", "sha256": "…", "rows": N }</c>.
/// Its result is materialized once into a Parquet snapshot, pinned by the snapshot's SHA-256 like a file.
/// </summary>
/// <param name="ConnectionVariable">The environment variable holding the connection string; null: DuckDB in memory.</param>
/// <param name="PinnedRows">The snapshot's row count when it was pinned; null: not recorded.</param>
/// <param name="Provider">For <see cref="QueryEngine.AdoNet"/>: the assembly of the ADO.NET provider (its <c>DbProviderFactory</c>); null otherwise.</param>
public sealed record QuerySpec(
    string Sql,
    FileLocation SqlLocation,
    QueryEngine Engine,
    string? ConnectionVariable,
    FileLocation ConnectionLocation,
    long? PinnedRows,
    Json.LocatedScalar? RowsNode,
    string? Provider = null)
{
    /// <summary>
    /// What makes two entries the same query: engine, connection variable, SQL and a plugged provider (names its
    /// snapshots' records and its unpinned snapshot).
    /// </summary>
    public string Identity => $"{Engine.ToName()}\n{ConnectionVariable}\n{Sql}" + (Provider is null ? "" : $"\n{Provider}");

    /// <summary>The assembly whose <c>DbProviderFactory</c> runs a plugged engine's query; null: the engine is built in.</summary>
    public string? ProviderAssembly => Engine switch
    {
        QueryEngine.Sqlite => QueryEngines.SqliteProvider,
        QueryEngine.AdoNet => Provider,
        _ => null,
    };

    /// <summary>The SHA-256 of the SQL text: names the query in the card, the report and <c>status</c> without repeating it.</summary>
    public string SqlHash => HashOf(Sql);

    /// <summary>The SHA-256 of a query's SQL text, as <see cref="SqlHash"/> gives it.</summary>
    public static string HashOf(string sql) => Hashing.FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(sql));
}

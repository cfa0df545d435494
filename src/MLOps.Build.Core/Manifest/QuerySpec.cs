using MLOps.Build.Diagnostics;

namespace MLOps.Build.Manifest;

/// <summary>The SQL engine a data entry's query runs on.</summary>
public enum QueryEngine
{
    /// <summary>DuckDB in process, over the repository's CSV and Parquet files (or a database file a connection names).</summary>
    DuckDb,

    /// <summary>A PostgreSQL server, through Npgsql.</summary>
    Postgres,
}

public static class QueryEngines
{
    /// <summary>The manifest's names, in <see cref="QueryEngine"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["duckdb", "postgres"];

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
public sealed record QuerySpec(
    string Sql,
    FileLocation SqlLocation,
    QueryEngine Engine,
    string? ConnectionVariable,
    FileLocation ConnectionLocation,
    long? PinnedRows,
    Json.LocatedScalar? RowsNode)
{
    /// <summary>What makes two entries the same query: engine, connection variable and SQL (names its snapshots' records and its unpinned snapshot).</summary>
    public string Identity => $"{Engine.ToName()}\n{ConnectionVariable}\n{Sql}";

    /// <summary>The SHA-256 of the SQL text: names the query in the card, the report and <c>status</c> without repeating it.</summary>
    public string SqlHash => Hashing.FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(Sql));
}

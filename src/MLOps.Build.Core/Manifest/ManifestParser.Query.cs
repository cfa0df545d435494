using MLOps.Build.Json;
using MLOps.Build.Snapshots;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

/// <summary>Data entries given as queries (<see cref="QuerySpec"/>).</summary>
public sealed partial class ManifestParser
{
    internal static readonly string[] QueryKeys = ["sql", "engine", "connection", "provider", "sha256", "rows"];

    private DataFileReference? ParseQuery(LocatedObject file, string role)
    {
        _read.CheckKeys(file, QueryKeys, role + ".");
        if (file.Find("path") is { } path)
        {
            _diagnostics.Add(D.InvalidValue, path.NameLocation, $"'{role}' has both 'path' and 'sql'; an entry is a file or a query, not both.");
            return null;
        }
        var sql = _read.RequiredString(file, "sql", role + ".");
        var engine = QueryEngine.DuckDb;
        var engineKnown = true;
        if (_read.OptionalString(file, "engine") is { } engineText && !QueryEngines.TryParse(engineText.Text, out engine))
        {
            engineKnown = false;
            _diagnostics.Add(D.InvalidValue, engineText.Location,
                $"Unknown engine '{engineText.Text}' in '{role}'; expected one of {string.Join(", ", QueryEngines.Names.Select(n => $"'{n}'"))}.{Suggestions.DidYouMean(engineText.Text, QueryEngines.Names)}");
        }
        var connection = ParseConnectionVariable(file, role);
        if (engineKnown && engine.NeedsConnection() && connection is null && file.Find("connection") is null)
        {
            _diagnostics.Add(D.MissingField, file.Location,
                $"'{role}' queries {EngineTitle(engine)} and has no 'connection': name the environment variable that holds the connection string, such as \"connection\": \"TRAINING_DB\".");
        }
        var provider = ParseProvider(file, role, engineKnown ? engine : null);
        var rows = ParseRows(file, role);
        var shaNode = ParseSha256(file, role);
        if (sql is null || !engineKnown || (engine == QueryEngine.AdoNet && provider is null))
        {
            return null;
        }
        var sha256 = shaNode?.Text?.ToLowerInvariant();
        var snapshots = _snapshots ?? SnapshotStore.FromEnvironment();
        var query = new QuerySpec(sql.Value.Text, sql.Value.Location, engine, connection?.Text,
            connection?.Location ?? sql.Value.Location, rows?.Rows, rows?.Node, provider);
        var snapshotPath = sha256 is { Length: 64 } ? snapshots.PathOf(sha256) : snapshots.PathOfUnpinned(query);
        return new DataFileReference(role, snapshotPath, sql.Value.Location, sha256, shaNode, file) { Query = query };
    }

    private static string EngineTitle(QueryEngine engine) => engine switch
    {
        QueryEngine.Postgres => "PostgreSQL",
        QueryEngine.Sqlite => "SQLite",
        QueryEngine.AdoNet => "an ADO.NET provider",
        _ => "DuckDB",
    };

    /// <summary>
    /// The assembly of a plugged ADO.NET provider (<c>"provider": "MySqlConnector"</c>): required by <c>adonet</c>,
    /// meaningless for the others.
    /// </summary>
    private string? ParseProvider(LocatedObject file, string role, QueryEngine? engine)
    {
        var provider = _read.OptionalString(file, "provider");
        if (engine != QueryEngine.AdoNet)
        {
            if (provider is { } extra && engine is { } other)
            {
                _diagnostics.Add(D.InvalidValue, extra.Location,
                    $"'{role}.provider' is for \"engine\": \"adonet\"; {EngineTitle(other)} ({other.ToName()}) has its own provider. Remove 'provider', or set \"engine\": \"adonet\".");
            }
            return null;
        }
        if (provider is null)
        {
            if (file.Find("provider") is null)
            {
                _diagnostics.Add(D.MissingField, file.Location,
                    $"'{role}' queries an ADO.NET provider and has no 'provider': name the provider's assembly, such as \"provider\": \"MySqlConnector\", and reference its package in the project.");
            }
            return null;
        }
        if (!IsAssemblyName(provider.Value.Text))
        {
            _diagnostics.Add(D.InvalidValue, provider.Value.Location,
                $"'{role}.provider' must be the provider's assembly name (letters, digits, '.', '_' and '-', such as \"Microsoft.Data.SqlClient\").");
            return null;
        }
        return provider.Value.Text;
    }

    private static bool IsAssemblyName(string name) =>
        name.Length is > 0 and <= 256 && char.IsLetter(name[0])
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-');

    /// <summary>
    /// The name of an environment variable. A connection string written here instead is refused without being
    /// repeated: the diagnostic would copy its password into the build log.
    /// </summary>
    private (string Text, Diagnostics.FileLocation Location)? ParseConnectionVariable(LocatedObject file, string role)
    {
        if (_read.OptionalString(file, "connection") is not { } connection)
        {
            return null;
        }
        if (!IsEnvironmentVariableName(connection.Text))
        {
            _diagnostics.Add(D.InvalidValue, connection.Location,
                $"'{role}.connection' must name an environment variable (letters, digits and '_', such as \"TRAINING_DB\") that holds the connection string; the value written here is not one, and is not repeated in case it holds credentials. Connection strings never belong in the manifest.");
            return null;
        }
        return connection;
    }

    private (long Rows, LocatedScalar Node)? ParseRows(LocatedObject file, string role)
    {
        if (file.Find("rows") is not { } property)
        {
            return null;
        }
        if (property.Value is LocatedScalar { Kind: LocatedKind.Number } number && number.TryGetDouble(out var value)
            && value >= 0 && Math.Floor(value) == value && value <= long.MaxValue)
        {
            return ((long)value, number);
        }
        _diagnostics.Add(D.WrongValueType, property.Value.Location, $"'{role}.rows' is the snapshot's row count, a whole number ≥ 0, written by -p:MLOpsUpdateLock=true.");
        return null;
    }

    private static bool IsEnvironmentVariableName(string name) =>
        name.Length is > 0 and <= 256
        && name[0] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
}

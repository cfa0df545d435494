using System.Data.Common;
using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Paths;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Runs a data entry's query on its engine and writes the result into a Parquet file. The rows are ordered by every
/// column (text by code point: PostgreSQL's "C" collation, DuckDB's default), whatever the query's own ORDER BY, so the
/// same rows always give the same file. Every failure is a coded diagnostic at the entry's <c>sql</c>, with the
/// engine's message and no secret of the connection string.
/// </summary>
internal sealed class QueryRunner(DiagnosticBag diagnostics)
{
    private const string Alias = "mlops_snapshot";

    /// <summary>Writes the result to <paramref name="outputPath"/> (which must not exist); the row count, or null on failure.</summary>
    public async Task<long?> RunAsync(DataFileReference file, string manifestDirectory, string repositoryRoot, string outputPath)
    {
        var query = file.Query!;
        string? connectionString = null;
        if (query.ConnectionVariable is { } variable)
        {
            connectionString = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                diagnostics.Add(D.ConnectionVariableMissing, query.ConnectionLocation,
                    $"'{file.Role}' reads its connection string from the environment variable '{variable}', which is not set in this build's environment.");
                return null;
            }
        }
        var workingDirectory = Environment.CurrentDirectory;
        try
        {
            // DuckDB reads the query's relative paths from the working directory: the manifest's folder, like every data path.
            Environment.CurrentDirectory = manifestDirectory;
            await using var connection = await OpenAsync(query, connectionString, repositoryRoot);
            var body = Body(query.Sql);
            if (await SchemaAsync(connection, file, body) is not { } columns)
            {
                return null;
            }
            await using var command = connection.CreateCommand();
            command.CommandText = $"{Wrapped(query.Engine, body)} ORDER BY {OrderBy(query.Engine, columns)}";
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = await SnapshotWriter.CreateAsync(outputPath, columns.Select(c => c.Column).ToArray());
            while (await reader.ReadAsync())
            {
                await writer.AddAsync(reader);
            }
            await writer.CompleteAsync();
            return writer.Rows;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or TimeoutException
            or System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or InvalidCastException or FormatException or OverflowException)
        {
            diagnostics.Add(D.QueryFailed, query.SqlLocation,
                $"The query of '{file.Role}' failed on {query.Engine.ToName()}: {ConnectionSecrets.Redact(Describe(ex), connectionString)}");
            return null;
        }
        catch (ProviderNotLoadedException ex)
        {
            diagnostics.Add(D.QueryEngineMissing, query.SqlLocation,
                $"'{file.Role}' queries {query.Engine.ToName()} through {query.ProviderAssembly}, which cannot be loaded: {ex.Message}.");
            return null;
        }
        catch (Exception ex) when (query.Engine.IsPlugged() && ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            diagnostics.Add(D.QueryEngineMissing, query.SqlLocation,
                $"'{file.Role}' queries {query.Engine.ToName()} through {query.ProviderAssembly}, whose native library cannot be loaded: {Describe(ex)} Reference the provider's package with its native assets (no ExcludeAssets=\"native\").");
            return null;
        }
        catch (Exception ex) when (query.Engine == QueryEngine.DuckDb && ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            diagnostics.Add(D.QueryEngineMissing, query.SqlLocation,
                $"'{file.Role}' queries DuckDB, whose native library {DuckDbNative.Version} is not restored (looked in {string.Join(", ", DuckDbNative.Candidates().Select(c => $"'{c}'"))}). Add <PackageReference Include=\"{DuckDbNative.PackageId}\" Version=\"{DuckDbNative.Version}\" ExcludeAssets=\"all\" /> to the project.");
            return null;
        }
        finally
        {
            Environment.CurrentDirectory = workingDirectory;
        }
    }

    private static async Task<DbConnection> OpenAsync(QuerySpec query, string? connectionString, string repositoryRoot)
    {
        if (query.Engine == QueryEngine.Postgres)
        {
            var postgres = new Npgsql.NpgsqlConnection(connectionString);
            await postgres.OpenAsync();
            return postgres;
        }
        if (query.ProviderAssembly is { } provider)
        {
            var factory = PluggedProviders.Factory(provider);
            var plugged = factory.CreateConnection()
                ?? throw new ProviderNotLoadedException($"'{provider}' gives no connection (its factory's CreateConnection returned null)");
            plugged.ConnectionString = query.Engine == QueryEngine.Sqlite ? SqliteConnectionString(factory, connectionString!) : connectionString;
            await plugged.OpenAsync();
            return plugged;
        }
        DuckDbNative.Register();
        var duck = new DuckDB.NET.Data.DuckDBConnection(connectionString ?? "DataSource=:memory:");
        await duck.OpenAsync();
        // Files inside the repository only (by real path: a link out of it is refused too), no network, no
        // extension downloads, and no statement of the query can lift any of it.
        var root = (RepositoryPaths.RealPath(repositoryRoot) ?? repositoryRoot).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        foreach (var setting in new[]
        {
            $"SET allowed_directories = [{Literal(root)}]",
            "SET enable_external_access = false",
            "SET autoinstall_known_extensions = false",
            "SET autoload_known_extensions = false",
            "SET lock_configuration = true",
        })
        {
            await using var command = duck.CreateCommand();
            command.CommandText = setting;
            await command.ExecuteNonQueryAsync();
        }
        return duck;
    }

    /// <summary>
    /// A SQLite query only reads: the database is opened read-only unless the connection string says otherwise (a
    /// missing file is then an error instead of a new empty database), and unpooled (a snapshot opens each database
    /// once; a pooled connection kept the pages it had read when another copy of SQLite in the process wrote the file).
    /// </summary>
    private static string SqliteConnectionString(DbProviderFactory factory, string connectionString)
    {
        if (factory.CreateConnectionStringBuilder() is not { } builder)
        {
            return connectionString;
        }
        builder.ConnectionString = connectionString;
        // What the user wrote (the provider's own builder says it "contains" every keyword it knows).
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!written.ContainsKey("Mode"))
        {
            builder["Mode"] = "ReadOnly";
        }
        if (!written.ContainsKey("Pooling"))
        {
            builder["Pooling"] = false;
        }
        return builder.ConnectionString;
    }

    /// <summary>The query as a derived table; a plugged provider's without <c>AS</c> (Oracle refuses it before a table alias).</summary>
    internal static string Wrapped(QueryEngine engine, string body) =>
        engine == QueryEngine.AdoNet ? $"SELECT * FROM (\n{body}\n) {Alias}" : $"SELECT * FROM (\n{body}\n) AS {Alias}";

    /// <summary>The result's columns (no rows): <c>WHERE 1 = 0</c> for any provider, whose SQL may have no <c>LIMIT</c>.</summary>
    private static string SchemaQuery(QueryEngine engine, string body) =>
        engine == QueryEngine.AdoNet ? $"{Wrapped(engine, body)} WHERE 1 = 0" : $"{Wrapped(engine, body)} LIMIT 0";

    /// <summary>The result's columns and their snapshot types, or null (reported) when a snapshot cannot hold them.</summary>
    private async Task<IReadOnlyList<(SnapshotColumn Column, bool IsText)>?> SchemaAsync(DbConnection connection, DataFileReference file, string body)
    {
        var engine = file.Query!.Engine;
        var fields = new List<(string Name, Type Type, string TypeName)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = SchemaQuery(engine, body);
            await using var reader = await command.ExecuteReaderAsync();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                fields.Add((reader.GetName(i), reader.GetFieldType(i), reader.GetDataTypeName(i)));
            }
        }
        if (engine == QueryEngine.Sqlite && fields.Count > 0)
        {
            fields = await SqliteTypes.OfValuesAsync(connection, Wrapped(engine, body), fields.Select(f => f.Name).ToList());
        }
        var columns = new List<(SnapshotColumn Column, bool IsText)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (name, type, typeName) in fields)
        {
            if (!names.Add(name))
            {
                diagnostics.Add(D.DuplicateColumn, file.Query!.SqlLocation,
                    $"The query of '{file.Role}' returns two columns named '{name}'; give one of them another name (AS …).");
                ok = false;
            }
            if (SnapshotColumn.For(name, type, SnapshotWriter.RowGroupRows) is not { } column)
            {
                diagnostics.Add(D.UnsupportedQueryType, file.Query!.SqlLocation,
                    $"The query of '{file.Role}' returns column '{name}' of type {typeName}, which a snapshot cannot hold (numbers, text, booleans, dates and timestamps); cast it in the SQL or leave it out.");
                ok = false;
                continue;
            }
            columns.Add((column, type == typeof(string)));
        }
        if (fields.Count == 0)
        {
            diagnostics.Add(D.EmptyData, file.Query!.SqlLocation, $"The query of '{file.Role}' returns no columns.");
            ok = false;
        }
        return ok ? columns : null;
    }

    /// <summary>The SQL as a sub-query: without the statement's closing semicolons and trailing blanks.</summary>
    internal static string Body(string sql) => sql.TrimEnd().TrimEnd(';', ' ', '\t', '\r', '\n');

    /// <summary>
    /// Every column, text by code point where the engine can be told so (PostgreSQL's "C" collation; DuckDB's and
    /// SQLite's defaults already are). A plugged provider's columns by position, which every SQL dialect reads the same
    /// way, in the database's own collation.
    /// </summary>
    internal static string OrderBy(QueryEngine engine, IEnumerable<(SnapshotColumn Column, bool IsText)> columns) => engine == QueryEngine.AdoNet
        ? string.Join(", ", columns.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture)))
        : string.Join(", ", columns.Select(c => Identifier(c.Column.Name) + (engine == QueryEngine.Postgres && c.IsText ? " COLLATE \"C\"" : "")));

    internal static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The engine's message; PostgreSQL's with its SQLSTATE, detail and hint, without the stack.</summary>
    private static string Describe(Exception ex)
    {
        if (ex is Npgsql.PostgresException postgres)
        {
            var text = $"{postgres.SqlState}: {postgres.MessageText}";
            if (!string.IsNullOrEmpty(postgres.Detail))
            {
                text += $" ({postgres.Detail})";
            }
            return text + (string.IsNullOrEmpty(postgres.Hint) ? "" : $" Hint: {postgres.Hint}");
        }
        var message = ex.Message.Trim();
        if (ex.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += $" ({inner.Message.Trim()})";
        }
        return message.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    internal static string Count(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture);
}

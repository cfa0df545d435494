using System.Diagnostics;

namespace MLOps.Build.Testing;

/// <summary>
/// A PostgreSQL cluster of its own, from Debian's postgresql package: initdb in a temp folder, a server on a free
/// loopback port with password (SCRAM) authentication, stopped and deleted on dispose. As root, the server runs as
/// the postgres user (initdb refuses root). No system service, no fixed port. Linked where needed (with Npgsql).
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    public const string User = "mlops";

    private readonly string _bin;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mlops-pg-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it).");
        }
        Password = "pw-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "pw"), Password + "\n");
        if (_asPostgresUser)
        {
            Run("chown", "-R", "postgres:postgres", _root);
        }
        RunAs(Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-U", User, "--auth=scram-sha-256", $"--pwfile={Path.Combine(_root, "pw")}", "-E", "UTF8", "--locale=C.UTF-8");
        // The server is not a child of this process: stopped when the process ends, even if a failing constructor of
        // the test that owns it means Dispose is never called.
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
        Start();
    }

    private void StopAtExit(object? sender, EventArgs e) => Dispose();

    public string Password { get; }

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database=postgres;Pooling=false;Timeout=5";

    public void Start()
    {
        Port = LoopbackPorts.Free();
        RunAs(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1", "start");
    }

    public void Stop() => RunAs(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    public void Execute(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        if (!Directory.Exists(DataDirectory))
        {
            return;
        }
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void RunAs(string program, params string[] arguments)
    {
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {output.Result}{error.Result}");
        }
    }
}

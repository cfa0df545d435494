using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Stock nginx from Debian's package (.ci/run installs it when missing) serving a Bazel-style HTTP cache on a loopback
/// port: GET from a folder, PUT with the WebDAV module (<c>dav_methods PUT; create_full_put_path on;</c>), the set-up
/// docs/manifest.md documents for teams.
/// </summary>
public sealed class NginxCacheServer : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    public NginxCacheServer(string folder)
    {
        Folder = folder;
        Port = MLOps.Build.Testing.LoopbackPorts.Free();
        Directory.CreateDirectory(Path.Combine(folder, "www", "cache"));
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        var config = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(config, $$"""
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log;
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            events { worker_connections 64; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/tmp;
                proxy_temp_path {{folder}}/tmp;
                fastcgi_temp_path {{folder}}/tmp;
                uwsgi_temp_path {{folder}}/tmp;
                scgi_temp_path {{folder}}/tmp;
                server {
                    listen 127.0.0.1:{{Port}};
                    location /cache/ {
                        root {{folder}}/www;
                        dav_methods PUT;
                        create_full_put_path on;
                        client_max_body_size 1g;
                    }
                }
            }
            """);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var start = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        WaitUntilListening();
    }

    public string Folder { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/cache/";

    /// <summary>The files the server holds under /cache/, relative ("ac/…", "cas/…").</summary>
    public string[] Entries() => Directory.GetFiles(Path.Combine(Folder, "www", "cache"), "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Path.Combine(Folder, "www", "cache"), f).Replace('\\', '/')).Order().ToArray();

    public string PathOf(string entry) => Path.Combine(Folder, "www", "cache", entry);

    /// <summary>Stops the server (a test of "server down" calls it early; the using calls it again).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {_process.StandardError.ReadToEnd()} {File.ReadAllText(Path.Combine(Folder, "error.log"))}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException("nginx did not listen within 15 s");
    }
}

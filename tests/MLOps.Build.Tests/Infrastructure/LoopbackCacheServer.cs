using System.Collections.Concurrent;
using System.Net;

namespace MLOps.Build.Tests.Infrastructure;

/// <summary>
/// A Bazel-style HTTP cache on a loopback port, in memory, with the failures real servers have: an error status for
/// every request, bodies cut short, and whatever the test puts in the store (a corrupted blob).
/// </summary>
public sealed class LoopbackCacheServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackCacheServer()
    {
        // A port free a moment ago can be taken by a test running in parallel before the listener binds it: try another.
        for (var attempt = 1; ; attempt++)
        {
            Port = MLOps.Build.Testing.LoopbackPorts.Free();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/cache/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                CloseQuietly(_listener);
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/cache/");

    /// <summary>Path ("ac/…", "cas/…") to bytes.</summary>
    public ConcurrentDictionary<string, byte[]> Store { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization header of each request (empty when none was sent).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>When set, every request gets this status.</summary>
    public int? FailWith { get; set; }

    /// <summary>When set, GET bodies announce their length but stop half-way.</summary>
    public bool Truncate { get; set; }

    /// <summary>Requests wait this long before an answer (a hung server).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, GET bodies are sent chunked, without announcing their length.</summary>
    public bool Chunked { get; set; }

    /// <summary>When set, GET bodies of blobs (<c>cas/</c>) announce this length, send what they hold and close (a server that lies).</summary>
    public long? BlobAnnouncedLength { get; set; }

    /// <summary>GET bodies stop this long half-way (a server that sends its headers, then drips).</summary>
    public TimeSpan StallMidBody { get; set; }

    public void Dispose()
    {
        CloseQuietly(_listener);
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>
    /// Closes once: the managed listener looks its port up again on every close, and where it no longer holds the port
    /// (a second close, or a start that failed) it binds it anew, which throws "Address already in use" once a parallel
    /// test took the port (seen in CI when Stop was followed by Close).
    /// </summary>
    private static void CloseQuietly(HttpListener listener)
    {
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var key = context.Request.Url!.AbsolutePath.Substring("/cache/".Length);
        Requests.Enqueue($"{context.Request.HttpMethod} {key}");
        Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
        var response = context.Response;
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }
            if (FailWith is { } status)
            {
                response.StatusCode = status;
                response.Close();
                return;
            }
            switch (context.Request.HttpMethod)
            {
                case "PUT":
                    using (var body = new MemoryStream())
                    {
                        await context.Request.InputStream.CopyToAsync(body);
                        Store[key] = body.ToArray();
                    }
                    response.StatusCode = 201;
                    response.Close();
                    break;
                case "GET" when Store.TryGetValue(key, out var bytes):
                    if (Chunked)
                    {
                        response.SendChunked = true;
                    }
                    else
                    {
                        response.ContentLength64 = bytes.Length;
                    }
                    if (BlobAnnouncedLength is { } announced && key.StartsWith("cas/", StringComparison.Ordinal))
                    {
                        response.ContentLength64 = announced;
                        await response.OutputStream.WriteAsync(bytes);
                        await response.OutputStream.FlushAsync();
                        response.Abort();
                        return;
                    }
                    if (StallMidBody > TimeSpan.Zero)
                    {
                        await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                        await response.OutputStream.FlushAsync();
                        await Task.Delay(StallMidBody);
                        await response.OutputStream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
                        response.Close();
                        return;
                    }
                    if (Truncate)
                    {
                        await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                        response.Abort();
                        return;
                    }
                    await response.OutputStream.WriteAsync(bytes);
                    response.Close();
                    break;
                default:
                    response.StatusCode = 404;
                    response.Close();
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}

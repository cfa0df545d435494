using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MLOps.Build.Hashing;
using MLOps.Build.IO;

namespace MLOps.Build.Tasks.Cache;

/// <summary>What a remote cache call came to.</summary>
public enum RemoteResult
{
    /// <summary>No entry for the fingerprint (404), or nothing to do.</summary>
    Missing,
    /// <summary>Artifacts restored, or uploaded.</summary>
    Done,
    /// <summary>The entry exists but a blob is missing or does not match its SHA-256: ignored, the model trains.</summary>
    Damaged,
    /// <summary>The server cannot be used (unreachable, timeout, 4xx/5xx, truncated body): off for the rest of the build.</summary>
    Unavailable,
}

/// <summary>
/// Trained artifacts on a server that speaks Bazel's HTTP cache protocol (bazel-remote, nginx with WebDAV PUT, cloud
/// storage behind HTTP): each file is a content-addressed blob at <c>/cas/&lt;sha256&gt;</c>, and one small JSON record
/// per model fingerprint at <c>/ac/&lt;fingerprint&gt;</c> names them. Blobs are uploaded first and the record last, so a
/// reader never sees an entry whose blobs are not all there; every downloaded blob is checked against its SHA-256
/// before a byte of it is used. A problem never fails the build: the caller warns once and stops using the server.
/// </summary>
public sealed class RemoteArtifactCache : IDisposable
{
    private static readonly string[] Files = [ArtifactNames.Onnx, ArtifactNames.ModelCard, ArtifactNames.Metrics];
    private readonly HttpClient _http;

    /// <param name="handler">The HTTP handler (tests, a custom CA bundle); null: the default.</param>
    public RemoteArtifactCache(Uri root, string? bearerToken, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        Root = root.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? root : new Uri(root.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = timeout;
        if (!string.IsNullOrEmpty(bearerToken))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
    }

    public Uri Root { get; }

    /// <summary>Why the last call returned <see cref="RemoteResult.Unavailable"/> or <see cref="RemoteResult.Damaged"/>.</summary>
    public string? Problem { get; private set; }

    public Uri ActionUri(string fingerprint) => new(Root, "ac/" + fingerprint);

    public Uri BlobUri(string sha256) => new(Root, "cas/" + sha256);

    /// <summary>Downloads and verifies an entry into <paramref name="artifactsDirectory"/>, fingerprint stamp last.</summary>
    public RemoteResult TryDownload(string fingerprint, string artifactsDirectory)
    {
        Problem = null;
        var (status, record) = Get(ActionUri(fingerprint));
        if (status != RemoteResult.Done)
        {
            return status;
        }
        Dictionary<string, string>? hashes;
        try
        {
            hashes = JsonSerializer.Deserialize<Dictionary<string, string>>(record!);
        }
        catch (JsonException ex)
        {
            return Damaged($"the record at {ActionUri(fingerprint)} is not a file list ({ex.Message})");
        }
        var contents = new Dictionary<string, byte[]>();
        foreach (var name in Files)
        {
            if (hashes is null || !hashes.TryGetValue(name, out var expected) || expected.Length != 64)
            {
                return Damaged($"the record at {ActionUri(fingerprint)} does not list '{name}'");
            }
            var (blobStatus, bytes) = Get(BlobUri(expected));
            if (blobStatus == RemoteResult.Missing)
            {
                return Damaged($"'{name}' ({BlobUri(expected)}) is missing");
            }
            if (blobStatus != RemoteResult.Done)
            {
                return blobStatus;
            }
            if (FileHash.Sha256(bytes!) != expected)
            {
                return Damaged($"'{name}' ({BlobUri(expected)}) does not match its SHA-256");
            }
            contents[name] = bytes!;
        }
        Directory.CreateDirectory(artifactsDirectory);
        foreach (var pair in contents)
        {
            AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, pair.Key), pair.Value);
        }
        AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
        return RemoteResult.Done;
    }

    /// <summary>Uploads complete artifacts: every blob, then the record. A concurrent uploader of the same entry writes the same bytes.</summary>
    public RemoteResult TryUpload(string fingerprint, string artifactsDirectory)
    {
        Problem = null;
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(artifactsDirectory, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problem = ex.Message;
                return RemoteResult.Missing;
            }
            var sha = FileHash.Sha256(bytes);
            hashes[name] = sha;
            if (Put(BlobUri(sha), bytes) is var status && status != RemoteResult.Done)
            {
                return status;
            }
        }
        return Put(ActionUri(fingerprint), JsonSerializer.SerializeToUtf8Bytes(hashes));
    }

    public void Dispose() => _http.Dispose();

    private RemoteResult Damaged(string problem)
    {
        Problem = problem;
        return RemoteResult.Damaged;
    }

    private (RemoteResult Status, byte[]? Body) Get(Uri uri)
    {
        try
        {
            using var response = _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (RemoteResult.Missing, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                return (Unavailable($"GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}"), null);
            }
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            if (response.Content.Headers.ContentLength is { } length && length != body.Length)
            {
                return (Unavailable($"GET {uri} sent {body.Length} of {length} bytes"), null);
            }
            return (RemoteResult.Done, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return (Unavailable($"GET {uri} failed: {Describe(ex)}"), null);
        }
    }

    private RemoteResult Put(Uri uri, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = _http.PutAsync(uri, content).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode
                ? RemoteResult.Done
                : Unavailable($"PUT {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return Unavailable($"PUT {uri} failed: {Describe(ex)}");
        }
    }

    private RemoteResult Unavailable(string problem)
    {
        Problem = problem;
        return RemoteResult.Unavailable;
    }

    private string Describe(Exception ex) => ex is TaskCanceledException or OperationCanceledException
        ? $"no answer within {_http.Timeout.TotalSeconds:0.#} s"
        : ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
}

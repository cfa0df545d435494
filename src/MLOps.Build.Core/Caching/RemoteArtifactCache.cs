using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MLOps.Build.Hashing;
using MLOps.Build.IO;

namespace MLOps.Build.Caching;

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

    /// <summary>
    /// Why the last <see cref="TryDownload"/> or <see cref="TryUpload"/> returned <see cref="RemoteResult.Unavailable"/> or
    /// <see cref="RemoteResult.Damaged"/>. The entry methods, which run on many threads at once, return it instead.
    /// </summary>
    public string? Problem { get; private set; }

    public Uri ActionUri(string fingerprint) => new(Root, "ac/" + fingerprint);

    public Uri BlobUri(string sha256) => new(Root, "cas/" + sha256);

    /// <summary>Downloads and verifies an entry into <paramref name="artifactsDirectory"/>, fingerprint stamp last.</summary>
    public RemoteResult TryDownload(string fingerprint, string artifactsDirectory)
    {
        var status = TryDownloadEntry(fingerprint, ArtifactNames.Cached, out var contents, out var problem);
        Problem = problem;
        if (status != RemoteResult.Done)
        {
            return status;
        }
        Directory.CreateDirectory(artifactsDirectory);
        foreach (var pair in contents!)
        {
            AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, pair.Key), pair.Value);
        }
        AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
        return RemoteResult.Done;
    }

    /// <summary>The named files of the entry at <c>/ac/&lt;key&gt;</c>, each verified against its SHA-256.</summary>
    public RemoteResult TryDownloadEntry(string key, IReadOnlyList<string> names, out Dictionary<string, byte[]>? contents, out string? problem)
    {
        contents = null;
        var (status, record, getProblem) = Get(ActionUri(key));
        problem = getProblem;
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
            problem = $"the record at {ActionUri(key)} is not a file list ({ex.Message})";
            return RemoteResult.Damaged;
        }
        var found = new Dictionary<string, byte[]>();
        foreach (var name in names)
        {
            if (hashes is null || !hashes.TryGetValue(name, out var expected) || expected.Length != 64)
            {
                problem = $"the record at {ActionUri(key)} does not list '{name}'";
                return RemoteResult.Damaged;
            }
            var (blobStatus, bytes, blobProblem) = Get(BlobUri(expected));
            if (blobStatus == RemoteResult.Missing)
            {
                problem = $"'{name}' ({BlobUri(expected)}) is missing";
                return RemoteResult.Damaged;
            }
            if (blobStatus != RemoteResult.Done)
            {
                problem = blobProblem;
                return blobStatus;
            }
            if (FileHash.Sha256(bytes!) != expected)
            {
                problem = $"'{name}' ({BlobUri(expected)}) does not match its SHA-256";
                return RemoteResult.Damaged;
            }
            found[name] = bytes!;
        }
        contents = found;
        return RemoteResult.Done;
    }

    /// <summary>Uploads complete artifacts: every blob, then the record. A concurrent uploader of the same entry writes the same bytes.</summary>
    public RemoteResult TryUpload(string fingerprint, string artifactsDirectory)
    {
        Problem = null;
        var contents = new Dictionary<string, byte[]>();
        foreach (var name in ArtifactNames.Cached)
        {
            try
            {
                contents[name] = File.ReadAllBytes(Path.Combine(artifactsDirectory, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problem = ex.Message;
                return RemoteResult.Missing;
            }
        }
        var status = TryUploadEntry(fingerprint, contents, out var problem);
        Problem = problem;
        return status;
    }

    /// <summary>Uploads named files as blobs, then the record at <c>/ac/&lt;key&gt;</c> naming them.</summary>
    public RemoteResult TryUploadEntry(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem)
    {
        problem = null;
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, bytes) in contents.Select(p => (p.Key, p.Value)))
        {
            var sha = FileHash.Sha256(bytes);
            hashes[name] = sha;
            var (status, putProblem) = Put(BlobUri(sha), bytes);
            if (status != RemoteResult.Done)
            {
                problem = putProblem;
                return status;
            }
        }
        var (recordStatus, recordProblem) = Put(ActionUri(key), JsonSerializer.SerializeToUtf8Bytes(hashes));
        problem = recordProblem;
        return recordStatus;
    }

    public void Dispose() => _http.Dispose();

    private (RemoteResult Status, byte[]? Body, string? Problem) Get(Uri uri)
    {
        try
        {
            using var response = _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (RemoteResult.Missing, null, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                return (RemoteResult.Unavailable, null, $"GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            if (response.Content.Headers.ContentLength is { } length && length != body.Length)
            {
                return (RemoteResult.Unavailable, null, $"GET {uri} sent {body.Length} of {length} bytes");
            }
            return (RemoteResult.Done, body, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return (RemoteResult.Unavailable, null, $"GET {uri} failed: {Describe(ex)}");
        }
    }

    private (RemoteResult Status, string? Problem) Put(Uri uri, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = _http.PutAsync(uri, content).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode
                ? (RemoteResult.Done, null)
                : (RemoteResult.Unavailable, $"PUT {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return (RemoteResult.Unavailable, $"PUT {uri} failed: {Describe(ex)}");
        }
    }

    private string Describe(Exception ex) => ex is TaskCanceledException or OperationCanceledException
        ? $"no answer within {_http.Timeout.TotalSeconds:0.#} s"
        : ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
}

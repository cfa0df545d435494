using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Hashing;

namespace MLOps.Build.Caching;

/// <summary>
/// Entries on a server that speaks Bazel's HTTP cache protocol (bazel-remote, nginx with WebDAV PUT, cloud storage
/// behind HTTP): each file is a content-addressed blob at <c>/cas/&lt;sha256&gt;</c>, and one small JSON record per key
/// at <c>/ac/&lt;key&gt;</c> names them. Blobs are uploaded first and the record last, so a
/// reader never sees an entry whose blobs are not all there; every downloaded blob is checked against its SHA-256
/// before a byte of it is used. A problem never fails the build: behind <see cref="CircuitBreakerStore"/>, the caller
/// warns once and stops using the server.
/// </summary>
public sealed class HttpEntryStore : IEntryStore
{
    private readonly HttpClient _http;

    /// <param name="handler">The HTTP handler (tests, a custom CA bundle); null: the default.</param>
    public HttpEntryStore(Uri root, string? bearerToken, TimeSpan timeout, HttpMessageHandler? handler = null)
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

    public Uri ActionUri(string fingerprint) => new(Root, "ac/" + fingerprint);

    public Uri BlobUri(string sha256) => new(Root, "cas/" + sha256);

    /// <summary>The named files of the entry at <c>/ac/&lt;key&gt;</c>, each verified against its SHA-256.</summary>
    public StoreResult TryGet(string key, IReadOnlyList<string> names, out IReadOnlyDictionary<string, byte[]>? contents, out string? problem)
    {
        contents = null;
        var (status, record, getProblem) = Get(ActionUri(key), RecordLimit);
        problem = getProblem;
        if (status != StoreResult.Done)
        {
            return status;
        }
        Dictionary<string, string> hashes;
        try
        {
            hashes = ArtifactJson.Deserialize(record!, ArtifactJson.CacheEntry);
        }
        catch (JsonException ex)
        {
            problem = $"the record at {ActionUri(key)} is not a file list ({ex.Message})";
            return StoreResult.Damaged;
        }
        var found = new Dictionary<string, byte[]>();
        foreach (var name in names)
        {
            if (!hashes.TryGetValue(name, out var expected) || expected.Length != 64)
            {
                problem = $"the record at {ActionUri(key)} does not list '{name}'";
                return StoreResult.Damaged;
            }
            var (blobStatus, bytes, blobProblem) = Get(BlobUri(expected));
            if (blobStatus == StoreResult.Missing)
            {
                problem = $"'{name}' ({BlobUri(expected)}) is missing";
                return StoreResult.Damaged;
            }
            if (blobStatus != StoreResult.Done)
            {
                problem = blobProblem;
                return blobStatus;
            }
            if (FileHash.Sha256(bytes!) != expected)
            {
                problem = $"'{name}' ({BlobUri(expected)}) does not match its SHA-256";
                return StoreResult.Damaged;
            }
            found[name] = bytes!;
        }
        contents = found;
        return StoreResult.Done;
    }

    /// <summary>Uploads named files as blobs, then the record at <c>/ac/&lt;key&gt;</c> naming them.</summary>
    public StoreResult TryPut(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem)
    {
        problem = null;
        // In name order, so that writers of the same entry send the same record.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, bytes) in contents.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)))
        {
            var sha = FileHash.Sha256(bytes);
            hashes[name] = sha;
            var (status, putProblem) = Put(BlobUri(sha), bytes);
            if (status != StoreResult.Done)
            {
                problem = putProblem;
                return status;
            }
        }
        var (recordStatus, recordProblem) = Put(ActionUri(key), ArtifactJson.Serialize(hashes, ArtifactJson.CacheEntry));
        problem = recordProblem;
        return recordStatus;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The most a record at <c>/ac/&lt;key&gt;</c> may be: it names a few files by their SHA-256, so anything near this
    /// is not a record, and is refused before it is read into memory.
    /// </summary>
    public const int RecordLimit = 1 << 20;

    /// <summary>
    /// The most a blob may be: the .NET array the entry's files are held in (an entry is a model and its records,
    /// restored as byte arrays), which is HttpClient's own buffering limit too.
    /// </summary>
    private const int BlobLimit = int.MaxValue;

    /// <summary>The most of an announced length allocated before its bytes arrive.</summary>
    private const int PresizeLimit = 64 << 20;

    /// <summary>
    /// The body at <paramref name="uri"/>, read as it arrives and given up past <paramref name="limit"/> bytes (a server
    /// that announces or sends more is damaged, not trusted to stop), all of it within the store's timeout.
    /// </summary>
    private (StoreResult Status, byte[]? Body, string? Problem) Get(Uri uri, int limit = BlobLimit)
    {
        // HttpClient's timeout covers only the headers when the body is streamed: this one covers the body too.
        using var deadline = new CancellationTokenSource(_http.Timeout);
        try
        {
            using var response = _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, deadline.Token).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (StoreResult.Missing, null, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                return (StoreResult.Unavailable, null, $"GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var announced = response.Content.Headers.ContentLength;
            if (announced > limit)
            {
                return (StoreResult.Damaged, null, TooLarge(uri, limit));
            }
            using var stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            // What the server announces is a claim: trusted for the first allocation only up to PresizeLimit, so a
            // header promising 2 GB costs nothing until 2 GB arrive.
            using var body = new MemoryStream((int)Math.Min(announced ?? 0, PresizeLimit));
            var buffer = new byte[81920];
            int read;
            while ((read = stream.ReadAsync(buffer, 0, buffer.Length, deadline.Token).GetAwaiter().GetResult()) > 0)
            {
                if (body.Length + read > limit)
                {
                    return (StoreResult.Damaged, null, TooLarge(uri, limit));
                }
                body.Write(buffer, 0, read);
            }
            if (announced is { } expected && expected != body.Length)
            {
                return (StoreResult.Unavailable, null, $"GET {uri} sent {body.Length} of {expected} bytes");
            }
            return (StoreResult.Done, body.ToArray(), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return (StoreResult.Unavailable, null, $"GET {uri} failed: {Describe(ex)}");
        }
    }

    private static string TooLarge(Uri uri, int limit) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "GET {0} sent more than {1:N0} bytes, more than it can hold", uri, limit);

    private (StoreResult Status, string? Problem) Put(Uri uri, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = _http.PutAsync(uri, content).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode
                ? (StoreResult.Done, null)
                : (StoreResult.Unavailable, $"PUT {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            return (StoreResult.Unavailable, $"PUT {uri} failed: {Describe(ex)}");
        }
    }

    private string Describe(Exception ex) => ex is TaskCanceledException or OperationCanceledException
        ? $"no answer within {_http.Timeout.TotalSeconds:0.#} s"
        : ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
}

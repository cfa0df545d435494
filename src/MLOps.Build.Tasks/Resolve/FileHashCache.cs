namespace MLOps.Build.Tasks.Resolve;

public interface IFileHashCache
{
    string GetSha256(string fullPath);
}

/// <summary>
/// Remembers each data file's hash with its size and last write time, so that a build does not read large data
/// files again. A file whose size or timestamp changed is hashed anew; touching a file without changing its bytes
/// costs one hash and changes nothing else.
/// </summary>
public sealed class FileHashCache : IFileHashCache
{
    private const string Header = "mlops-file-hashes-v1";
    private readonly string? _path;
    private readonly Dictionary<string, (FileStamp Stamp, string Sha256)> _entries = new(StringComparer.Ordinal);
    private bool _dirty;

    public FileHashCache(string? path)
    {
        _path = path;
        foreach (var record in CacheFile.Read(path, Header))
        {
            if (record.Length == 4)
            {
                _entries[record[0]] = (new FileStamp(CacheFile.ParseNumber(record[1]), CacheFile.ParseNumber(record[2])), record[3]);
            }
        }
    }

    public string GetSha256(string fullPath)
    {
        var stamp = FileStamp.Of(fullPath) ?? throw new FileNotFoundException("Cannot hash a missing file.", fullPath);
        if (_entries.TryGetValue(fullPath, out var entry) && entry.Stamp == stamp)
        {
            return entry.Sha256;
        }
        var sha = Hashing.FileHash.Sha256(fullPath);
        _entries[fullPath] = (stamp, sha);
        _dirty = true;
        return sha;
    }

    public void Save()
    {
        if (!_dirty || _path is null)
        {
            return;
        }
        CacheFile.Write(_path, Header, _entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new[] { e.Key, CacheFile.Number(e.Value.Stamp.Length), CacheFile.Number(e.Value.Stamp.LastWriteTicks), e.Value.Sha256 }));
        _dirty = false;
    }
}

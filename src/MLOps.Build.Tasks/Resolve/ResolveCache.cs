namespace MLOps.Build.Tasks.Resolve;

/// <summary>
/// Each model's resolution from the last build, with the stamps of the manifest and data files it was made from.
/// A build whose inputs all carry the same stamps (a no-op build) takes the resolution from here instead of parsing
/// the manifest and computing the fingerprint again. Only clean resolutions are kept: a manifest that drew a
/// warning is resolved (and warned about) on every build.
/// </summary>
public sealed class ResolveCache
{
    private const string Header = "mlops-resolve-cache-v1";
    private readonly string? _path;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private bool _dirty;

    /// <param name="Key">Everything besides the files that the resolution depends on (settings, item metadata, tool version).</param>
    private sealed record Entry(string Key, string ManifestPath, FileStamp Manifest, IReadOnlyList<(string Path, FileStamp Stamp)> Files, ResolvedModel Model);

    public ResolveCache(string? path)
    {
        _path = path;
        foreach (var record in CacheFile.Read(path, Header))
        {
            if (TryParse(record) is { } entry)
            {
                _entries[entry.Key] = entry;
            }
        }
    }

    /// <summary>The cached resolution when the manifest and every file it names still carry their stamps.</summary>
    public ResolvedModel? TryGet(string key, string manifestPath)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.ManifestPath != manifestPath
            || FileStamp.Of(manifestPath) != entry.Manifest
            || entry.Files.Any(file => FileStamp.Of(file.Path) != file.Stamp))
        {
            return null;
        }
        _used.Add(key);
        return entry.Model;
    }

    /// <param name="files">The data files the resolution verified, by full path; stamped now.</param>
    public void Store(string key, string manifestPath, IEnumerable<string> files, ResolvedModel model)
    {
        if (FileStamp.Of(manifestPath) is not { } manifest)
        {
            return;
        }
        var stamps = new List<(string, FileStamp)>();
        foreach (var file in files)
        {
            if (FileStamp.Of(file) is not { } stamp)
            {
                return;
            }
            stamps.Add((file, stamp));
        }
        _entries[key] = new Entry(key, manifestPath, manifest, stamps, model);
        _used.Add(key);
        _dirty = true;
    }

    /// <summary>Writes the resolutions this build used (models removed from the project drop out); unchanged, nothing is written.</summary>
    public void Save()
    {
        if (_path is null || (!_dirty && _used.Count == _entries.Count))
        {
            return;
        }
        CacheFile.Write(_path, Header, _entries.Values.Where(e => _used.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal).Select(Format));
    }

    private static IEnumerable<string> Format(Entry entry)
    {
        var model = entry.Model;
        string[] fields =
        [
            entry.Key, entry.ManifestPath, CacheFile.Number(entry.Manifest.Length), CacheFile.Number(entry.Manifest.LastWriteTicks),
            model.ManifestPath, model.Name, model.ClassName, model.Namespace, model.Visibility, model.Fingerprint,
            model.ArtifactsDirectory, model.RepositoryRoot, model.DriftFingerprint ?? "",
        ];
        return fields.Concat(entry.Files.SelectMany(f => new[] { f.Path, CacheFile.Number(f.Stamp.Length), CacheFile.Number(f.Stamp.LastWriteTicks) }));
    }

    private static Entry? TryParse(string[] record)
    {
        const int fixedFields = 13;
        if (record.Length < fixedFields || (record.Length - fixedFields) % 3 != 0)
        {
            return null;
        }
        try
        {
            var files = new List<(string, FileStamp)>();
            for (var i = fixedFields; i < record.Length; i += 3)
            {
                files.Add((record[i], new FileStamp(CacheFile.ParseNumber(record[i + 1]), CacheFile.ParseNumber(record[i + 2]))));
            }
            var model = new ResolvedModel(record[4], record[5], record[6], record[7], record[8], record[9], record[10], record[11])
            {
                DriftFingerprint = record[12].Length == 0 ? null : record[12],
            };
            return new Entry(record[0], record[1], new FileStamp(CacheFile.ParseNumber(record[2]), CacheFile.ParseNumber(record[3])), files, model);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

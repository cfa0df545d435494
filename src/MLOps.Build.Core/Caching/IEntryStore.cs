namespace MLOps.Build.Caching;

/// <summary>What a store call came to.</summary>
public enum StoreResult
{
    /// <summary>No entry under the key, or nothing to do (an entry was already there, writing is off).</summary>
    Missing,
    /// <summary>The entry was read (every file verified), or written.</summary>
    Done,
    /// <summary>The entry exists but a file is missing or does not match its SHA-256: ignored, the work is done again.</summary>
    Damaged,
    /// <summary>The store cannot be used (unreachable, timeout, 4xx/5xx, truncated body, unwritable folder).</summary>
    Unavailable,
}

/// <summary>
/// Entries of named files under a key (a SHA-256: a model's fingerprint, a trial's, a query snapshot's), each file
/// verified against the SHA-256 its entry records before a byte of it is returned, and each entry published whole or
/// not at all. The one contract behind every cache the build keeps: trained artifacts, sweep trials and query
/// snapshots, in a folder on this machine (<see cref="FolderEntryStore"/>) or on a server that speaks Bazel's HTTP
/// cache protocol (<see cref="HttpEntryStore"/>). A store never throws for what it finds; it says so in its result.
/// </summary>
public interface IEntryStore : IDisposable
{
    /// <summary>The named files of the entry under <paramref name="key"/>, each verified; <paramref name="contents"/> is set only when <see cref="StoreResult.Done"/>.</summary>
    StoreResult TryGet(string key, IReadOnlyList<string> names, out IReadOnlyDictionary<string, byte[]>? contents, out string? problem);

    /// <summary>Publishes the files as the entry under <paramref name="key"/>; a concurrent writer of the same entry writes the same bytes or wins.</summary>
    StoreResult TryPut(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem);
}

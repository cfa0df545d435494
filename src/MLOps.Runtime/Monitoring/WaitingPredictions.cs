using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// Predictions waiting for their outcome, in bounded memory: 64 shards by the key's hash, each a dictionary and a FIFO of
/// (key, sequence) under its own short lock, so threads with different keys rarely meet (one shared dictionary, queue and
/// counter made keyed scoring scale 0.54× on 16 threads). A shard holds at most its share of the capacity; beyond it the
/// oldest waiting prediction of the shard is evicted. The FIFO never holds more than twice the shard's share: an entry
/// whose outcome came (a stale one) is dropped from the front, and a FIFO that still grows evicts its oldest waiting entry,
/// so memory stays bounded even when outcomes arrive for every key but the oldest. A key longer than
/// <see cref="MaxKeptKeyLength"/> waits under its SHA-256 instead (<see cref="Stored"/>): keys come from callers, and
/// a megabyte key from a hostile request would otherwise be held once per waiting prediction.
/// </summary>
/// <typeparam name="T">What waits.</typeparam>
internal sealed class WaitingPredictions<T>
    where T : struct
{
    private const int ShardCount = 64;

    /// <summary>The longest key kept as given (a GUID is 36 characters); longer keys are kept as a digest.</summary>
    internal const int MaxKeptKeyLength = 64;
    private readonly Shard[] _shards;
    private readonly int _shardCapacity;
    private long _evicted;

    public WaitingPredictions(int capacity)
    {
        _shardCapacity = Math.Max(1, (capacity + ShardCount - 1) / ShardCount);
        _shards = Enumerable.Range(0, ShardCount).Select(_ => new Shard()).ToArray();
    }

    /// <summary>Predictions waiting now.</summary>
    public long Count => _shards.Sum(s => (long)Volatile.Read(ref s.Count));

    /// <summary>Predictions evicted to stay within the capacity.</summary>
    public long Evicted => Volatile.Read(ref _evicted);

    /// <summary>Entries in the shards' FIFOs (waiting and stale): what the bound on memory is about.</summary>
    public long Queued
    {
        get
        {
            long total = 0;
            foreach (var shard in _shards)
            {
                lock (shard)
                {
                    total += shard.Order.Count;
                }
            }
            return total;
        }
    }

    /// <summary>The most that wait at once: the capacity rounded up to a multiple of the shards.</summary>
    public long Capacity => (long)_shardCapacity * ShardCount;

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/>; a key scored again waits with its latest prediction.</summary>
    public void Add(string key, T value)
    {
        key = Stored(key);
        var shard = ShardOf(key);
        lock (shard)
        {
            var sequence = ++shard.Sequence;
            shard.Entries[key] = (value, sequence);
            shard.Order.Enqueue((key, sequence));
            Volatile.Write(ref shard.Count, shard.Entries.Count);
            while (shard.Entries.Count > _shardCapacity || shard.Order.Count > 2 * _shardCapacity)
            {
                var (oldest, stamp) = shard.Order.Dequeue();
                if (shard.Entries.TryGetValue(oldest, out var entry) && entry.Sequence == stamp)
                {
                    shard.Entries.Remove(oldest);
                    Interlocked.Increment(ref _evicted);
                }
            }
            Volatile.Write(ref shard.Count, shard.Entries.Count);
        }
    }

    /// <summary>Takes the prediction waiting under <paramref name="key"/>; false when none waits.</summary>
    public bool TryTake(string key, out T value)
    {
        key = Stored(key);
        var shard = ShardOf(key);
        lock (shard)
        {
            if (shard.Entries.Remove(key, out var entry))
            {
                Volatile.Write(ref shard.Count, shard.Entries.Count);
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The key as it waits: itself up to <see cref="MaxKeptKeyLength"/> characters, else '#' and the hex SHA-256 of its
    /// UTF-16 code units (65 characters, so never equal to a kept key; code units, not UTF-8, so that keys differing
    /// only in a lone surrogate stay apart).
    /// </summary>
    internal static string Stored(string key) =>
        key.Length <= MaxKeptKeyLength ? key : "#" + Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(key.AsSpan())));

    private Shard ShardOf(string key) => _shards[(StringComparer.Ordinal.GetHashCode(key) & int.MaxValue) % ShardCount];

    private sealed class Shard
    {
        public readonly Dictionary<string, (T Value, long Sequence)> Entries = new(StringComparer.Ordinal);
        public readonly Queue<(string Key, long Sequence)> Order = new();
        public long Sequence;
        public int Count;
    }
}

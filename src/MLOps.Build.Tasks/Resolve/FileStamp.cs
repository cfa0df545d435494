namespace MLOps.Build.Tasks.Resolve;

/// <summary>A file's size and last write time: what a build can check without reading the file.</summary>
public readonly record struct FileStamp(long Length, long LastWriteTicks)
{
    /// <summary>The file's stamp now; null when it does not exist.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}

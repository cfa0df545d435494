namespace MLOps.Build.IO;

/// <summary>
/// Reading a file the build did not write (a manifest, a lock file, data) without trusting what it is. A named pipe or
/// a device reports 0 bytes: opening a pipe waits for a writer that may never come, and reading a device can go on
/// without end (a manifest committed as a link to /dev/zero took 19 s and 4 GB, then threw OutOfMemoryException past
/// every catch). So a file is read only as far as the length it reports, and one reporting 0 bytes is never opened.
/// </summary>
public static class RegularFile
{
    /// <summary>Whether <paramref name="path"/> exists and reports 0 bytes: empty, or a named pipe or a device.</summary>
    public static bool IsEmpty(string path) => new FileInfo(path) is { Exists: true, Length: 0 };

    /// <summary>
    /// The file's bytes, as many as it reports; none, without opening it, when it reports 0. Throws what
    /// <see cref="File.ReadAllBytes"/> throws for a file that is missing or cannot be read.
    /// </summary>
    public static byte[] ReadAllBytes(string path)
    {
        var length = new FileInfo(path).Length; // FileNotFoundException when missing, as File.ReadAllBytes
        if (length == 0)
        {
            return [];
        }
        if (length > int.MaxValue)
        {
            throw new IOException(string.Format(System.Globalization.CultureInfo.InvariantCulture, "'{0}' has {1:N0} bytes, more than a file the build reads whole can have (2 GB).", path, length));
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var bytes = new byte[length];
        var read = 0;
        int got;
        while (read < bytes.Length && (got = stream.Read(bytes, read, bytes.Length - read)) > 0)
        {
            read += got;
        }
        if (read < bytes.Length)
        {
            Array.Resize(ref bytes, read); // it shrank while being read
        }
        return bytes;
    }
}

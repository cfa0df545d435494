namespace MLOps.Build.IO;

/// <summary>Write to a temporary file in the same folder, then rename: readers see the old file or the new one, never half of one.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
        File.WriteAllBytes(temp, bytes);
        try
        {
            if (File.Exists(path))
            {
                File.Replace(temp, path, null);
            }
            else
            {
                File.Move(temp, path);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes only when the content differs, so that timestamps (and incremental builds) see no change.</summary>
    public static bool WriteIfChanged(string path, byte[] bytes)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }
        WriteAllBytes(path, bytes);
        return true;
    }
}

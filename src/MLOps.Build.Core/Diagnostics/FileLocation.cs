namespace MLOps.Build.Diagnostics;

/// <summary>A 1-based position in a file; line 0 means "the file as a whole".</summary>
public readonly record struct FileLocation(string Path, int Line, int Column)
{
    public static FileLocation File(string path) => new(path, 0, 0);
}

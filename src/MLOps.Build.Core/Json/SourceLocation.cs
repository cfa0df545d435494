namespace MLOps.Build.Json;

/// <summary>A 1-based position in a file; line 0 means "the file as a whole".</summary>
public readonly record struct SourceLocation(string Path, int Line, int Column)
{
    public static SourceLocation File(string path) => new(path, 0, 0);
}

namespace MLOps.Build.Manifest;

public enum ColumnKind
{
    /// <summary>A number, read as <c>float</c>; missing values are NaN.</summary>
    Float,
    /// <summary>Text with a small set of values; one-hot encoded; missing is its own "no value".</summary>
    Category,
    /// <summary>true/false (also 1/0, yes/no); a feature becomes 0/1.</summary>
    Bool,
}

public static class ColumnKinds
{
    public static readonly IReadOnlyList<string> Names = ["float", "category", "bool"];

    public static bool TryParse(string? text, out ColumnKind kind)
    {
        switch (text?.ToLowerInvariant())
        {
            case "float" or "number" or "double" or "int":
                kind = ColumnKind.Float;
                return true;
            case "category" or "string" or "text":
                kind = ColumnKind.Category;
                return true;
            case "bool" or "boolean":
                kind = ColumnKind.Bool;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string ToName(this ColumnKind kind) => Names[(int)kind];
}

namespace MLOps.Build.Manifest;

public enum ColumnKind
{
    /// <summary>A number, read as <c>float</c>; missing values are NaN.</summary>
    Float,
    /// <summary>Text with a small set of values; one-hot encoded; missing is its own "no value".</summary>
    Category,
    /// <summary>true/false (also 1/0, yes/no); a feature becomes 0/1.</summary>
    Bool,
    /// <summary>Free text (a review, an e-mail body): word and character n-grams, TF-IDF weighted.</summary>
    Text,
    /// <summary>A calendar date, expanded into numeric parts (year, month, day, day of week, day of year).</summary>
    Date,
    /// <summary>A date and time of day: the date's parts plus hour and minute.</summary>
    DateTime,
}

public static class ColumnKinds
{
    public static readonly IReadOnlyList<string> Names = ["float", "category", "bool", "text", "date", "datetime"];

    public static bool TryParse(string? text, out ColumnKind kind)
    {
        switch (text?.ToLowerInvariant())
        {
            case "float" or "number" or "double" or "int":
                kind = ColumnKind.Float;
                return true;
            case "category" or "string":
                kind = ColumnKind.Category;
                return true;
            case "bool" or "boolean":
                kind = ColumnKind.Bool;
                return true;
            case "text":
                kind = ColumnKind.Text;
                return true;
            case "date":
                kind = ColumnKind.Date;
                return true;
            case "datetime" or "timestamp":
                kind = ColumnKind.DateTime;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string ToName(this ColumnKind kind) => Names[(int)kind];

    public static bool IsDate(this ColumnKind kind) => kind is ColumnKind.Date or ColumnKind.DateTime;
}

namespace MLOps.Build.Generators.Common;

/// <summary>
/// Typed reads from <see cref="MiniJson"/> values. A required value that is missing or of another type is a
/// <see cref="FormatException"/> naming the key, so callers catch one exception type for "unreadable".
/// </summary>
internal static class JsonObject
{
    public static object? Get(MiniJsonObject node, string key) => node.TryGetValue(key, out var value) ? value : null;

    public static string String(MiniJsonObject node, string key) =>
        Get(node, key) as string ?? throw Missing(key, "a string");

    public static string? OptionalString(MiniJsonObject node, string key) => Get(node, key) switch
    {
        null => null,
        string s => s,
        _ => throw Missing(key, "a string"),
    };

    public static double Number(MiniJsonObject node, string key) =>
        Get(node, key) is double d ? d : throw Missing(key, "a number");

    public static double? OptionalNumber(MiniJsonObject node, string key) => Get(node, key) switch
    {
        null => null,
        double d => d,
        _ => throw Missing(key, "a number"),
    };

    public static bool Boolean(MiniJsonObject node, string key) =>
        Get(node, key) is bool b ? b : throw Missing(key, "true or false");

    public static bool? OptionalBoolean(MiniJsonObject node, string key) => Get(node, key) switch
    {
        null => null,
        bool b => b,
        _ => throw Missing(key, "true or false"),
    };

    public static List<object?> List(MiniJsonObject node, string key) =>
        Get(node, key) as List<object?> ?? throw Missing(key, "an array");

    public static MiniJsonObject Object(MiniJsonObject node, string key) =>
        Get(node, key) as MiniJsonObject ?? throw Missing(key, "an object");

    public static MiniJsonObject? OptionalObject(MiniJsonObject node, string key) => Get(node, key) switch
    {
        null => null,
        MiniJsonObject o => o,
        _ => throw Missing(key, "an object"),
    };

    /// <summary>The objects of the array <paramref name="key"/>.</summary>
    public static IEnumerable<MiniJsonObject> Objects(MiniJsonObject node, string key) =>
        List(node, key).Select(item => item as MiniJsonObject ?? throw new FormatException($"'{key}' holds a value that is not an object"));

    public static IEnumerable<string> Strings(MiniJsonObject node, string key) =>
        List(node, key).Select(item => item as string ?? throw new FormatException($"'{key}' holds a value that is not a string"));

    public static IEnumerable<double> Numbers(MiniJsonObject node, string key) =>
        List(node, key).Select(item => item is double d ? d : throw new FormatException($"'{key}' holds a value that is not a number"));

    /// <summary>The document's root object, or null when the text is not JSON or not an object.</summary>
    public static MiniJsonObject? TryParse(string json)
    {
        try
        {
            return MiniJson.Parse(json) as MiniJsonObject;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The document's root object; a <see cref="FormatException"/> when it is not one.</summary>
    public static MiniJsonObject ParseObject(string json, string what) =>
        MiniJson.Parse(json) as MiniJsonObject ?? throw new FormatException($"the {what} is not a JSON object");

    private static FormatException Missing(string key, string expected) => new($"'{key}' must be {expected}");
}

namespace MLOps.Build.Generators.Common;

/// <summary>Typed reads from a <see cref="MiniJson"/> object; a missing required value is a <see cref="FormatException"/>.</summary>
internal static class JsonObject
{
    public static object? Get(Dictionary<string, object?> node, string key) => node.TryGetValue(key, out var value) ? value : null;

    public static string String(Dictionary<string, object?> node, string key) =>
        Get(node, key) as string ?? throw new FormatException($"'{key}' is missing");

    public static double Number(Dictionary<string, object?> node, string key) =>
        Get(node, key) is double d ? d : throw new FormatException($"'{key}' is missing");

    public static List<object?> List(Dictionary<string, object?> node, string key) =>
        Get(node, key) as List<object?> ?? throw new FormatException($"'{key}' is missing");

    /// <summary>The document's root object, or null when the text is not one.</summary>
    public static Dictionary<string, object?>? TryParse(string json)
    {
        try
        {
            return MiniJson.Parse(json) as Dictionary<string, object?>;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

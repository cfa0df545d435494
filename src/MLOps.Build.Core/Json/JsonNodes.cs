using System.Globalization;

namespace MLOps.Build.Json;

public enum JsonValueKind { Object, Array, String, Number, True, False, Null }

/// <summary>
/// An immutable JSON tree that remembers where every token came from. System.Text.Json's
/// <c>JsonDocument</c> forgets positions, and every manifest diagnostic must point at a line.
/// </summary>
public abstract class JsonNode(JsonValueKind kind, SourceLocation location, int start, int end)
{
    public JsonValueKind Kind { get; } = kind;
    public SourceLocation Location { get; } = location;

    /// <summary>Byte range of the token (or the whole object/array) in the source.</summary>
    public int Start { get; } = start;
    public int End { get; } = end;

    public string KindName => Kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public sealed class JsonProperty(string name, SourceLocation nameLocation, JsonNode value)
{
    public string Name { get; } = name;
    public SourceLocation NameLocation { get; } = nameLocation;
    public JsonNode Value { get; } = value;
}

public sealed class JsonObjectNode(SourceLocation location, int start, int end, IReadOnlyList<JsonProperty> properties)
    : JsonNode(JsonValueKind.Object, location, start, end)
{
    public IReadOnlyList<JsonProperty> Properties { get; } = properties;

    /// <summary>Last property of that name wins, as in System.Text.Json's deserializer.</summary>
    public JsonProperty? Find(string name)
    {
        for (var i = Properties.Count - 1; i >= 0; i--)
        {
            if (Properties[i].Name == name)
            {
                return Properties[i];
            }
        }
        return null;
    }
}

public sealed class JsonArrayNode(SourceLocation location, int start, int end, IReadOnlyList<JsonNode> items)
    : JsonNode(JsonValueKind.Array, location, start, end)
{
    public IReadOnlyList<JsonNode> Items { get; } = items;
}

public sealed class JsonScalarNode(JsonValueKind kind, SourceLocation location, int start, int end, string? text)
    : JsonNode(kind, location, start, end)
{
    /// <summary>The unescaped string, or the number's literal text.</summary>
    public string? Text { get; } = text;

    public bool TryGetDouble(out double value) =>
        double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public bool TryGetInt64(out long value) =>
        long.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}

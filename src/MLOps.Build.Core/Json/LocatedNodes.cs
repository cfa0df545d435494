using System.Globalization;
using MLOps.Build.Diagnostics;

namespace MLOps.Build.Json;

public enum LocatedKind { Object, Array, String, Number, True, False, Null }

/// <summary>
/// An immutable JSON tree that remembers where every token came from. System.Text.Json's
/// <c>JsonDocument</c> forgets positions, and every manifest diagnostic must point at a line.
/// </summary>
public abstract class LocatedNode(LocatedKind kind, FileLocation location, int start, int end)
{
    public LocatedKind Kind { get; } = kind;
    public FileLocation Location { get; } = location;

    /// <summary>Byte range of the token (or the whole object/array) in the source.</summary>
    public int Start { get; } = start;
    public int End { get; } = end;

    public string KindName => Kind switch
    {
        LocatedKind.True or LocatedKind.False => "boolean",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public sealed class LocatedProperty(string name, FileLocation nameLocation, LocatedNode value)
{
    public string Name { get; } = name;
    public FileLocation NameLocation { get; } = nameLocation;
    public LocatedNode Value { get; } = value;
}

public sealed class LocatedObject(FileLocation location, int start, int end, IReadOnlyList<LocatedProperty> properties)
    : LocatedNode(LocatedKind.Object, location, start, end)
{
    public IReadOnlyList<LocatedProperty> Properties { get; } = properties;

    /// <summary>Last property of that name wins, as in System.Text.Json's deserializer.</summary>
    public LocatedProperty? Find(string name)
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

public sealed class LocatedArray(FileLocation location, int start, int end, IReadOnlyList<LocatedNode> items)
    : LocatedNode(LocatedKind.Array, location, start, end)
{
    public IReadOnlyList<LocatedNode> Items { get; } = items;
}

public sealed class LocatedScalar(LocatedKind kind, FileLocation location, int start, int end, string? text)
    : LocatedNode(kind, location, start, end)
{
    /// <summary>The unescaped string, or the number's literal text.</summary>
    public string? Text { get; } = text;

    public bool TryGetDouble(out double value) =>
        double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public bool TryGetInt64(out long value) =>
        long.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}

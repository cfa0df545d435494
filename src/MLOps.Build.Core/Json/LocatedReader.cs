using MLOps.Build.Diagnostics;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Json;

/// <summary>
/// Reads typed values out of a located JSON object and reports, at the value's line and column, what is wrong with
/// one (an unknown key with a did-you-mean, a missing field, a wrong type, a number out of range, an empty string):
/// the generic half of every located-JSON format, so that a format's parser (<see cref="Manifest.ManifestParser"/>)
/// holds only its own sections' rules. Returns null for a value that cannot be used, after reporting it.
/// </summary>
public sealed class LocatedReader(DiagnosticBag diagnostics)
{
    public void CheckKeys(LocatedObject node, string[] known, string prefix)
    {
        foreach (var property in node.Properties)
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                diagnostics.Add(D.UnknownKey, property.NameLocation,
                    $"Unknown key '{prefix}{property.Name}' is ignored.{Suggestions.DidYouMean(property.Name, known)}");
            }
        }
    }

    /// <summary>
    /// An optional section of one JSON kind (an object, an array) with its property: null when the key is absent, or,
    /// after reporting that it must be <paramref name="expected"/>, when it holds another kind.
    /// </summary>
    public (LocatedProperty Property, TNode Value)? Optional<TNode>(LocatedObject node, string key, string expected)
        where TNode : LocatedNode
    {
        var property = node.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is not TNode value)
        {
            WrongType(property, expected);
            return null;
        }
        return (property, value);
    }

    public (string Text, FileLocation Location)? RequiredString(LocatedObject node, string key, string prefix = "")
    {
        var property = node.Find(key);
        if (property is null)
        {
            diagnostics.Add(D.MissingField, node.Location, $"Required field '{prefix}{key}' is missing.");
            return null;
        }
        return StringValue(property, prefix);
    }

    public (string Text, FileLocation Location)? OptionalString(LocatedObject node, string key)
    {
        var property = node.Find(key);
        return property is null ? null : StringValue(property, "");
    }

    public (string Text, FileLocation Location)? StringValue(LocatedProperty property, string prefix)
    {
        if (property.Value is LocatedScalar { Kind: LocatedKind.String } value)
        {
            if (string.IsNullOrWhiteSpace(value.Text))
            {
                diagnostics.Add(D.InvalidValue, value.Location, $"'{prefix}{property.Name}' must not be empty.");
                return null;
            }
            return (value.Text!, value.Location);
        }
        WrongType(property, "a string");
        return null;
    }

    public double? OptionalNumber(LocatedObject node, string key, double min, double max, bool integer)
    {
        var property = node.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is not LocatedScalar { Kind: LocatedKind.Number } number || !number.TryGetDouble(out var value))
        {
            WrongType(property, integer ? "a whole number" : "a number");
            return null;
        }
        if (integer && Math.Floor(value) != value)
        {
            WrongType(property, "a whole number");
            return null;
        }
        if (value < min || value > max)
        {
            diagnostics.Add(D.InvalidValue, number.Location, $"'{property.Name}' is {number.Text}; it must lie between {min:R} and {max:R}.");
            return null;
        }
        return value;
    }

    public void WrongType(LocatedProperty property, string expected) =>
        diagnostics.Add(D.WrongValueType, property.Value.Location, $"'{property.Name}' must be {expected}; found a {property.Value.KindName}.");

    public bool? OptionalBool(LocatedObject node, string key)
    {
        var property = node.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is LocatedScalar { Kind: LocatedKind.True or LocatedKind.False } value)
        {
            return value.Kind == LocatedKind.True;
        }
        WrongType(property, "true or false");
        return null;
    }
}

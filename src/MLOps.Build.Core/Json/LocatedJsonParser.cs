using System.Text.Json;
using MLOps.Build.Diagnostics;

namespace MLOps.Build.Json;

/// <summary>Parses JSON (comments and trailing commas allowed) into a <see cref="LocatedNode"/> tree with positions.</summary>
public static class LocatedJsonParser
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    public static JsonParseResult Parse(FileText source)
    {
        var reader = new Utf8JsonReader(source.Content.Span, Options);
        try
        {
            if (!reader.Read())
            {
                return JsonParseResult.Failure(new FileLocation(source.Path, 1, 1), "the file is empty");
            }
            var root = ReadValue(ref reader, source);
            if (reader.Read())
            {
                return JsonParseResult.Failure(source.LocationOf(Offset(ref reader, source)), "unexpected content after the end of the JSON value");
            }
            return JsonParseResult.Success(root);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            return JsonParseResult.Failure(new FileLocation(source.Path, line, column), CleanMessage(ex.Message));
        }
        catch (InvalidOperationException)
        {
            // Found by fuzzing: the reader checks UTF-8 only when a string is decoded (a manifest saved as Latin-1).
            return JsonParseResult.Failure(source.LocationOf(Offset(ref reader, source)),
                "a string here is not valid UTF-8; save the manifest as UTF-8");
        }
    }

    private static LocatedNode ReadValue(ref Utf8JsonReader reader, FileText source)
    {
        var start = Offset(ref reader, source);
        var location = source.LocationOf(start);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var properties = new List<LocatedProperty>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var nameLocation = source.LocationOf(Offset(ref reader, source));
                        var name = reader.GetString()!;
                        reader.Read();
                        properties.Add(new LocatedProperty(name, nameLocation, ReadValue(ref reader, source)));
                    }
                    return new LocatedObject(location, start, End(ref reader, source), properties);
                }
            case JsonTokenType.StartArray:
                {
                    var items = new List<LocatedNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(ReadValue(ref reader, source));
                    }
                    return new LocatedArray(location, start, End(ref reader, source), items);
                }
            case JsonTokenType.String:
                return new LocatedScalar(LocatedKind.String, location, start, End(ref reader, source), reader.GetString());
            case JsonTokenType.Number:
                return new LocatedScalar(LocatedKind.Number, location, start, End(ref reader, source),
                    System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray()));
            case JsonTokenType.True:
                return new LocatedScalar(LocatedKind.True, location, start, End(ref reader, source), "true");
            case JsonTokenType.False:
                return new LocatedScalar(LocatedKind.False, location, start, End(ref reader, source), "false");
            default:
                return new LocatedScalar(LocatedKind.Null, location, start, End(ref reader, source), null);
        }
    }

    private static int Offset(ref Utf8JsonReader reader, FileText source) => source.BomLength + (int)reader.TokenStartIndex;

    private static int End(ref Utf8JsonReader reader, FileText source) => source.BomLength + (int)reader.BytesConsumed;

    // "… LineNumber: 3 | BytePositionInLine: 4." repeats what the location already says.
    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut > 0 ? message.Substring(0, cut) : message;
        return text.TrimEnd(' ', '.');
    }
}

public sealed class JsonParseResult
{
    private JsonParseResult(LocatedNode? root, FileLocation errorLocation, string? error)
    {
        Root = root;
        ErrorLocation = errorLocation;
        Error = error;
    }

    public LocatedNode? Root { get; }
    public FileLocation ErrorLocation { get; }
    public string? Error { get; }

    public static JsonParseResult Success(LocatedNode root) => new(root, default, null);
    public static JsonParseResult Failure(FileLocation location, string error) => new(null, location, error);
}

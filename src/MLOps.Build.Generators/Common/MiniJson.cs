using System.Globalization;
using System.Text;

namespace MLOps.Build.Generators.Common;

/// <summary>
/// Reads the model card's JSON into dictionaries, lists, strings, doubles, bools and nulls. The compiler host
/// is not guaranteed to load System.Text.Json for an analyzer, and the card is small and simple.
/// </summary>
internal static class MiniJson
{
    public static object? Parse(string text)
    {
        var position = 0;
        var value = ReadValue(text, ref position);
        SkipWhitespace(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException($"unexpected '{text[position]}' at offset {position}");
        }
        return value;
    }

    private static object? ReadValue(string text, ref int position)
    {
        SkipWhitespace(text, ref position);
        if (position >= text.Length)
        {
            throw new FormatException("unexpected end of the document");
        }
        switch (text[position])
        {
            case '{':
                return ReadObject(text, ref position);
            case '[':
                return ReadArray(text, ref position);
            case '"':
                return ReadString(text, ref position);
            case 't':
                Expect(text, ref position, "true");
                return true;
            case 'f':
                Expect(text, ref position, "false");
                return false;
            case 'n':
                Expect(text, ref position, "null");
                return null;
            default:
                return ReadNumber(text, ref position);
        }
    }

    private static Dictionary<string, object?> ReadObject(string text, ref int position)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        position++;
        SkipWhitespace(text, ref position);
        if (Peek(text, position) == '}')
        {
            position++;
            return result;
        }
        while (true)
        {
            SkipWhitespace(text, ref position);
            var key = ReadString(text, ref position);
            SkipWhitespace(text, ref position);
            Expect(text, ref position, ":");
            result[key] = ReadValue(text, ref position);
            SkipWhitespace(text, ref position);
            var next = Peek(text, position);
            position++;
            if (next == '}')
            {
                return result;
            }
            if (next != ',')
            {
                throw new FormatException($"expected ',' or '}}' at offset {position - 1}");
            }
        }
    }

    private static List<object?> ReadArray(string text, ref int position)
    {
        var result = new List<object?>();
        position++;
        SkipWhitespace(text, ref position);
        if (Peek(text, position) == ']')
        {
            position++;
            return result;
        }
        while (true)
        {
            result.Add(ReadValue(text, ref position));
            SkipWhitespace(text, ref position);
            var next = Peek(text, position);
            position++;
            if (next == ']')
            {
                return result;
            }
            if (next != ',')
            {
                throw new FormatException($"expected ',' or ']' at offset {position - 1}");
            }
        }
    }

    private static string ReadString(string text, ref int position)
    {
        Expect(text, ref position, "\"");
        var builder = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return builder.ToString();
            }
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            var escaped = Peek(text, position++);
            switch (escaped)
            {
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    builder.Append((char)int.Parse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default: builder.Append(escaped); break;
            }
        }
        throw new FormatException("unterminated string");
    }

    private static object ReadNumber(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
        {
            position++;
        }
        var literal = text.Substring(start, position - start);
        if (literal == "NaN" || !double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"invalid value at offset {start}");
        }
        return value;
    }

    private static void Expect(string text, ref int position, string token)
    {
        if (string.CompareOrdinal(text, position, token, 0, token.Length) != 0)
        {
            throw new FormatException($"expected '{token}' at offset {position}");
        }
        position += token.Length;
    }

    private static char Peek(string text, int position) =>
        position < text.Length ? text[position] : throw new FormatException("unexpected end of the document");

    private static void SkipWhitespace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}

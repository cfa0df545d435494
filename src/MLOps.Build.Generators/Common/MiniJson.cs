using System.Globalization;
using System.Text;

namespace MLOps.Build.Generators.Common;

/// <summary>
/// Reads JSON into <see cref="MiniJsonObject"/>s, lists, strings, doubles, bools and nulls. The compiler host is not
/// guaranteed to load System.Text.Json for an analyzer, and the files are small. Accepts what the build accepts in a
/// manifest (<c>//</c> and <c>/* */</c> comments, trailing commas) and remembers where each object key is, so that a
/// diagnostic about a value can point at its line. Malformed text is a <see cref="FormatException"/>.
/// </summary>
internal static class MiniJson
{
    public static object? Parse(string text)
    {
        var reader = new Reader(text);
        var value = reader.ReadValue();
        reader.SkipTrivia();
        if (reader.Position != text.Length)
        {
            throw reader.Error($"unexpected '{text[reader.Position]}'");
        }
        return value;
    }

    private sealed class Reader(string text)
    {
        private int[]? _lineStarts;

        public int Position { get; private set; }

        public object? ReadValue()
        {
            SkipTrivia();
            switch (Peek())
            {
                case '{':
                    return Nested(ReadObject);
                case '[':
                    return Nested(ReadArray);
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    return ReadNumber();
            }
        }

        /// <summary>
        /// As deep as System.Text.Json reads by default (the build's own parsers): a file of nested brackets is a
        /// <see cref="FormatException"/>, not a stack overflow that takes the compiler down with it.
        /// </summary>
        private const int MaxDepth = 64;

        private int _depth;

        private object Nested(Func<object> read)
        {
            if (++_depth > MaxDepth)
            {
                throw Error($"values nested deeper than {MaxDepth} levels");
            }
            var value = read();
            _depth--;
            return value;
        }

        private MiniJsonObject ReadObject()
        {
            var result = new MiniJsonObject();
            Position++;
            while (true)
            {
                SkipTrivia();
                if (Peek() == '}')
                {
                    Position++;
                    return result;
                }
                var keyOffset = Position;
                var key = ReadString();
                SkipTrivia();
                Expect(":");
                result.Add(key, ReadValue(), LineColumn(keyOffset));
                SkipTrivia();
                var next = Peek();
                Position++;
                if (next == '}')
                {
                    return result;
                }
                if (next != ',')
                {
                    Position--;
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object?> ReadArray()
        {
            var result = new List<object?>();
            Position++;
            while (true)
            {
                SkipTrivia();
                if (Peek() == ']')
                {
                    Position++;
                    return result;
                }
                result.Add(ReadValue());
                SkipTrivia();
                var next = Peek();
                Position++;
                if (next == ']')
                {
                    return result;
                }
                if (next != ',')
                {
                    Position--;
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ReadString()
        {
            Expect("\"");
            var builder = new StringBuilder();
            while (Position < text.Length)
            {
                var c = text[Position++];
                if (c == '"')
                {
                    return builder.ToString();
                }
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                var escaped = Peek();
                Position++;
                switch (escaped)
                {
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u':
                        if (Position + 4 > text.Length
                            || !int.TryParse(text.Substring(Position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw Error("invalid \\u escape");
                        }
                        builder.Append((char)code);
                        Position += 4;
                        break;
                    default: builder.Append(escaped); break;
                }
            }
            throw Error("unterminated string");
        }

        private object ReadNumber()
        {
            var start = Position;
            while (Position < text.Length && "+-0123456789.eE".IndexOf(text[Position]) >= 0)
            {
                Position++;
            }
            var literal = text.Substring(start, Position - start);
            if (literal.Length == 0 || !double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                Position = start;
                throw Error("expected a value");
            }
            return value;
        }

        /// <summary>Whitespace and comments.</summary>
        public void SkipTrivia()
        {
            while (Position < text.Length)
            {
                if (char.IsWhiteSpace(text[Position]))
                {
                    Position++;
                }
                else if (At("//"))
                {
                    var end = text.IndexOf('\n', Position);
                    Position = end < 0 ? text.Length : end + 1;
                }
                else if (At("/*"))
                {
                    var end = text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error("unterminated comment");
                    }
                    Position = end + 2;
                }
                else
                {
                    return;
                }
            }
        }

        private bool At(string token) => string.CompareOrdinal(text, Position, token, 0, token.Length) == 0;

        private void Expect(string token)
        {
            if (!At(token))
            {
                throw Error($"expected '{token}'");
            }
            Position += token.Length;
        }

        private char Peek() => Position < text.Length ? text[Position] : throw Error("unexpected end of the document");

        public FormatException Error(string message)
        {
            var (line, column) = LineColumn(Position);
            return new FormatException($"{message} at line {line}, column {column}");
        }

        private (int Line, int Column) LineColumn(int offset)
        {
            _lineStarts ??= LineStarts(text);
            var line = Array.BinarySearch(_lineStarts, offset);
            if (line < 0)
            {
                line = ~line - 1;
            }
            return (line + 1, offset - _lineStarts[line] + 1);
        }

        private static int[] LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }
            return [.. starts];
        }
    }
}

/// <summary>A JSON object: its members by key (the last of a repeated key wins), and where each key was.</summary>
internal sealed class MiniJsonObject : Dictionary<string, object?>
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    public MiniJsonObject()
        : base(StringComparer.Ordinal)
    {
    }

    public void Add(string key, object? value, (int Line, int Column) position)
    {
        this[key] = value;
        _positions[key] = position;
    }

    /// <summary>1-based line and column of <paramref name="key"/>'s opening quote.</summary>
    public (int Line, int Column) PositionOf(string key) => _positions[key];
}

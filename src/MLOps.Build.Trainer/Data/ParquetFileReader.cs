using System.Globalization;
using MLOps.Build.Diagnostics;
using Parquet;
using Parquet.Schema;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Parquet through Parquet.Net, row group by row group, straight into typed storage: numeric columns become floats
/// without passing through text, string columns are dictionary-encoded. <see cref="Scan"/> decodes only the string
/// columns (their type is inferred from their distinct values) and keeps them for <see cref="Read"/>.
/// </summary>
public static class ParquetFileReader
{
    public static DataScan? Scan(string path, string displayPath, DiagnosticBag diagnostics, IReadOnlySet<string> unprofiled) =>
        Guard(displayPath, diagnostics, () => ScanAsync(path, displayPath, unprofiled).GetAwaiter().GetResult());

    public static TypedColumns? Read(string path, string displayPath, IReadOnlyList<ColumnRequest> requests, DiagnosticBag diagnostics, DataScan? scan = null) =>
        Guard(displayPath, diagnostics, () => ReadAsync(path, displayPath, requests, diagnostics, scan).GetAwaiter().GetResult());

    private static T? Guard<T>(string displayPath, DiagnosticBag diagnostics, Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or ParquetException)
        {
            diagnostics.Add(D.UnreadableData, FileLocation.File(displayPath), $"Cannot read Parquet file '{displayPath}': {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException))
        {
            // Found by fuzzing: Parquet.Net meets damaged bytes with whatever its decoders throw (IndexOutOfRange,
            // NullReference, Overflow, its Thrift reader's own exceptions). A damaged file is a data problem at the file.
            diagnostics.Add(D.UnreadableData, FileLocation.File(displayPath),
                $"Cannot read Parquet file '{displayPath}': it is damaged or not a Parquet file ({ex.GetType().Name}: {ex.Message}).");
            return null;
        }
    }

    /// <summary>How long reading a file's metadata may take; a real footer is read in milliseconds.</summary>
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens the file with its metadata read on a worker thread. Found by fuzzing: Parquet.Net 6.1.0 can loop forever
    /// in its Thrift reader on a damaged footer, which would hang the build until MLOpsTrainerTimeout. Past
    /// <see cref="MetadataTimeout"/> the file is reported damaged; closing the stream ends the loop's reads, and the
    /// trainer is a short-lived process.
    /// </summary>
    private static async Task<ParquetReader> OpenAsync(Stream stream)
    {
        var open = Task.Run(() => ParquetReader.CreateAsync(stream));
        if (await Task.WhenAny(open, Task.Delay(MetadataTimeout)).ConfigureAwait(false) != open)
        {
            throw new InvalidDataException($"its metadata could not be read within {MetadataTimeout.TotalSeconds:0} s; the footer is damaged");
        }
        return await open.ConfigureAwait(false);
    }

    private static async Task<DataScan> ScanAsync(string path, string displayPath, IReadOnlySet<string> unprofiled)
    {
        using var stream = File.OpenRead(path);
        await using var reader = await OpenAsync(stream);
        var fields = Fields(reader);
        var rows = RowCount(reader);
        var profiles = new ColumnProfile[fields.Length];
        var decoded = new Dictionary<string, CategoryColumn>(StringComparer.Ordinal);
        for (var f = 0; f < fields.Length; f++)
        {
            profiles[f] = new ColumnProfile();
            var type = fields[f].ClrType;
            if (IsText(type) && !unprofiled.Contains(fields[f].Name))
            {
                var text = (await ReadColumnAsync(reader, fields[f], rows, asText: true)).Categories!;
                decoded[fields[f].Name] = text;
                var present = text.CountByCode();
                profiles[f].ObserveTyped(present.Sum(),
                    text.Values.All(v => CellParser.TryParseFloat(v.AsSpan(), out _)),
                    text.Values.All(v => CellParser.IsTrueOrFalse(v.AsSpan())));
                for (var code = 0; code < text.Values.Length; code++)
                {
                    if (present[code] > 0)
                    {
                        profiles[f].ObserveDistinct(text.Values[code], present[code]);
                    }
                }
            }
            else
            {
                profiles[f].ObserveTyped(rows, numbers: type != typeof(bool), booleans: type == typeof(bool));
            }
        }
        return new DataScan(displayPath, fields.Select(f => f.Name).ToArray(), profiles, rows) { Decoded = decoded };
    }

    private static async Task<TypedColumns?> ReadAsync(string path, string displayPath, IReadOnlyList<ColumnRequest> requests, DiagnosticBag diagnostics, DataScan? scan)
    {
        using var stream = File.OpenRead(path);
        await using var reader = await OpenAsync(stream);
        var fields = Fields(reader);
        var rows = RowCount(reader);
        var decoded = scan?.Decoded as Dictionary<string, CategoryColumn>;
        var errors = new CellErrors(path, displayPath, diagnostics);
        var columns = new ColumnValues?[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var field = fields.FirstOrDefault(f => f.Name == request.Name);
            if (field is null)
            {
                continue;
            }
            ColumnValues values;
            if (IsText(field.ClrType))
            {
                var text = decoded?.GetValueOrDefault(field.Name) ?? (await ReadColumnAsync(reader, field, rows, asText: true)).Categories!;
                values = request.Type == CellType.Text ? new ColumnValues(null, text)
                    : request.Type == CellType.Date ? new ColumnValues(null, CheckDates(text, request, errors))
                    : new ColumnValues(ParseText(text, request, errors), null);
            }
            else
            {
                values = await ReadColumnAsync(reader, field, rows, asText: request.IsEncoded);
                if (request.Type == CellType.Date)
                {
                    values = new ColumnValues(null, CheckDates(values.Categories!, request, errors));
                }
                if (request.Type == CellType.Boolean)
                {
                    CheckBooleans(values.Numbers!, request, errors);
                }
            }
            if (request.MissingCode is not null)
            {
                CheckPresent(values, request, errors);
            }
            columns[i] = values;
        }
        errors.Summarize();
        return errors.Any ? null : new TypedColumns(displayPath, fields.Select(f => f.Name).ToArray(), rows, columns);
    }

    private static DataField[] Fields(ParquetReader reader)
    {
        var fields = reader.Schema.GetDataFields();
        var nested = fields.FirstOrDefault(f => f.IsArray || f.MaxRepetitionLevel > 0);
        if (nested is not null)
        {
            throw new NotSupportedException($"column '{nested.Name}' is a list; only flat columns are supported");
        }
        return fields;
    }

    private static int RowCount(ParquetReader reader)
    {
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }
        return checked((int)rows);
    }

    private static bool IsText(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) || type == typeof(DateTime) || type == typeof(DateTimeOffset);

    /// <summary>One column of every row group: floats, or (for text, dates, and numbers read as categories) encoded text.</summary>
    private static async Task<ColumnValues> ReadColumnAsync(ParquetReader reader, DataField field, int rows, bool asText)
    {
        var sink = new CellSink(rows, asText);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            await ReadGroupAsync(group, field, checked((int)group.RowCount), sink);
        }
        return sink.Build();
    }

    private static Task ReadGroupAsync(ParquetRowGroupReader group, DataField field, int rows, CellSink sink)
    {
        var type = field.ClrType;
        return type switch
        {
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => ReadStringsAsync(group, field, rows, sink),
            _ when type == typeof(double) => ReadStructsAsync<double>(group, field, rows, sink),
            _ when type == typeof(float) => ReadStructsAsync<float>(group, field, rows, sink),
            _ when type == typeof(long) => ReadStructsAsync<long>(group, field, rows, sink),
            _ when type == typeof(int) => ReadStructsAsync<int>(group, field, rows, sink),
            _ when type == typeof(short) => ReadStructsAsync<short>(group, field, rows, sink),
            _ when type == typeof(byte) => ReadStructsAsync<byte>(group, field, rows, sink),
            _ when type == typeof(sbyte) => ReadStructsAsync<sbyte>(group, field, rows, sink),
            _ when type == typeof(ulong) => ReadStructsAsync<ulong>(group, field, rows, sink),
            _ when type == typeof(uint) => ReadStructsAsync<uint>(group, field, rows, sink),
            _ when type == typeof(ushort) => ReadStructsAsync<ushort>(group, field, rows, sink),
            _ when type == typeof(decimal) => ReadStructsAsync<decimal>(group, field, rows, sink),
            _ when type == typeof(bool) => ReadStructsAsync<bool>(group, field, rows, sink),
            _ when type == typeof(DateTime) => ReadStructsAsync<DateTime>(group, field, rows, sink),
            _ when type == typeof(DateTimeOffset) => ReadStructsAsync<DateTimeOffset>(group, field, rows, sink),
            _ => throw new NotSupportedException($"column '{field.Name}' has type {type.Name}, which is not supported"),
        };
    }

    private static async Task ReadStringsAsync(ParquetRowGroupReader group, DataField field, int rows, CellSink sink)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory(), null);
        foreach (var value in values)
        {
            sink.Text(value);
        }
    }

    private static async Task ReadStructsAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CellSink sink)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync(field, values.AsMemory(), null);
            foreach (var value in values)
            {
                if (value.HasValue)
                {
                    sink.Value(value.Value);
                }
                else
                {
                    sink.Missing();
                }
            }
            return;
        }
        var plain = new T[rows];
        await group.ReadAsync(field, plain.AsMemory(), null);
        foreach (var value in plain)
        {
            sink.Value(value);
        }
    }

    /// <summary>Text cells of a declared or inferred number or boolean: each distinct value is parsed once.</summary>
    private static float[] ParseText(CategoryColumn text, ColumnRequest request, CellErrors errors)
    {
        var parsed = new float[text.Values.Length];
        var readable = new bool[text.Values.Length];
        for (var code = 0; code < parsed.Length; code++)
        {
            var value = text.Values[code].AsSpan();
            readable[code] = request.Type == CellType.Boolean ? CellParser.TryParseBool(value, out parsed[code]) : CellParser.TryParseFloat(value, out parsed[code]);
        }
        var numbers = new float[text.Count];
        for (var row = 0; row < numbers.Length; row++)
        {
            var code = text.Codes[row];
            if (code < 0)
            {
                numbers[row] = float.NaN;
            }
            else if (readable[code])
            {
                numbers[row] = parsed[code];
            }
            else
            {
                numbers[row] = float.NaN;
                errors.Unreadable(request, text.Values[code], row, 0, 0);
            }
        }
        return numbers;
    }

    /// <summary>Each distinct value of a date column is parsed once; an unreadable one is reported at its first row.</summary>
    private static CategoryColumn CheckDates(CategoryColumn text, ColumnRequest request, CellErrors errors)
    {
        var readable = text.Values.Select(v => DateCells.TryParse(v.AsSpan(), request.DateFormat, out _)).ToArray();
        if (readable.All(r => r))
        {
            return text;
        }
        for (var row = 0; row < text.Count; row++)
        {
            if (text.Codes[row] >= 0 && !readable[text.Codes[row]])
            {
                errors.Unreadable(request, text.Values[text.Codes[row]], row, 0, 0);
            }
        }
        return text;
    }

    private static void CheckBooleans(float[] numbers, ColumnRequest request, CellErrors errors)
    {
        for (var row = 0; row < numbers.Length; row++)
        {
            if (numbers[row] is not (0 or 1) && !float.IsNaN(numbers[row]))
            {
                errors.Unreadable(request, numbers[row].ToString("R", CultureInfo.InvariantCulture), row, 0, 0);
            }
        }
    }

    private static void CheckPresent(ColumnValues values, ColumnRequest request, CellErrors errors)
    {
        for (var row = 0; row < values.Count; row++)
        {
            if (values.Numbers is { } numbers ? float.IsNaN(numbers[row]) : values.Categories!.Codes[row] < 0)
            {
                errors.Missing(request, row, 0, 0);
            }
        }
    }

    /// <summary>Collects one column's cells as floats or as encoded text, formatting values the way CSV would show them.</summary>
    private sealed class CellSink(int rows, bool asText)
    {
        private readonly float[]? _numbers = asText ? null : new float[rows];
        private readonly CategoryBuilder? _text = asText ? new CategoryBuilder(rows) : null;
        private int _row;

        public void Missing()
        {
            if (_numbers is not null)
            {
                _numbers[_row++] = float.NaN;
            }
            else
            {
                _text!.Add(null);
            }
        }

        public void Text(string? value)
        {
            var missing = MissingValues.IsMissing(value);
            if (_text is not null)
            {
                _text.Add(missing ? null : value!.Trim());
            }
            else
            {
                _numbers![_row++] = missing || !CellParser.TryParseFloat(value.AsSpan().Trim(), out var number) ? float.NaN : number;
            }
        }

        public void Value<T>(T value)
            where T : struct
        {
            if (_text is not null)
            {
                _text.Add(Format(value));
                return;
            }
            _numbers![_row++] = value switch
            {
                // One arm per type, so that the JIT drops the box for each value type it compiles this for.
                double d => (float)d,
                float f => f,
                long l => l,
                int i => i,
                short h => h,
                byte b => b,
                sbyte y => y,
                ulong u => u,
                uint u => u,
                ushort u => u,
                decimal m => (float)m,
                bool b => b ? 1 : 0,
                _ => float.NaN,
            };
        }

        public ColumnValues Build() => _text is not null ? new ColumnValues(null, _text.Build()) : new ColumnValues(_numbers, null);

        private static string? Format<T>(T value)
            where T : struct => value switch
        {
            float f => float.IsNaN(f) ? null : f.ToString("R", CultureInfo.InvariantCulture),
            double d => double.IsNaN(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            DateTime t => t.ToString("o", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.ToString("o", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}

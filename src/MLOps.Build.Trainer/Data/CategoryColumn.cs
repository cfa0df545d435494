using System.Collections;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Text cells, dictionary-encoded: one code per row (−1 for a missing value) into a list of distinct values, so that
/// millions of rows with a few hundred airports cost four bytes each instead of a string each.
/// </summary>
public sealed class CategoryColumn(int[] codes, string[] values) : IReadOnlyList<string?>
{
    public const int Missing = -1;

    public int[] Codes { get; } = codes;

    /// <summary>Distinct values, in order of first appearance.</summary>
    public string[] Values { get; } = values;

    public int Count => Codes.Length;

    public string? this[int row] => Codes[row] < 0 ? null : Values[Codes[row]];

    public CategoryColumn Select(int[] rows)
    {
        var codes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            codes[i] = Codes[rows[i]];
        }
        return new CategoryColumn(codes, Values);
    }

    /// <summary>Rows of each distinct value (index = code).</summary>
    public long[] CountByCode()
    {
        var counts = new long[Values.Length];
        foreach (var code in Codes)
        {
            if (code >= 0)
            {
                counts[code]++;
            }
        }
        return counts;
    }

    public static CategoryColumn From(IEnumerable<string?> cells)
    {
        var builder = new CategoryBuilder();
        foreach (var cell in cells)
        {
            builder.Add(cell);
        }
        return builder.Build();
    }

    public IEnumerator<string?> GetEnumerator()
    {
        for (var row = 0; row < Codes.Length; row++)
        {
            yield return this[row];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Builds a <see cref="CategoryColumn"/> row by row.</summary>
public sealed class CategoryBuilder(int capacity = 16)
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    private int[] _rows = new int[Math.Max(1, capacity)];
    private int _count;

    public int Count => _count;

    /// <summary>A value (null: missing).</summary>
    public void Add(string? value)
    {
        if (_count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }
        _rows[_count++] = value is null ? CategoryColumn.Missing : CodeOf(value);
    }

    public CategoryColumn Build()
    {
        Array.Resize(ref _rows, _count);
        return new CategoryColumn(_rows, [.. _values]);
    }

    private int CodeOf(string value)
    {
        if (!_codes.TryGetValue(value, out var code))
        {
            code = _values.Count;
            _codes.Add(value, code);
            _values.Add(value);
        }
        return code;
    }
}

/// <summary>A float column built row by row, growing by doubling unless the row count is known up front.</summary>
public sealed class NumberBuilder(int capacity = 16)
{
    private float[] _values = new float[Math.Max(1, capacity)];
    private int _count;

    public int Count => _count;

    public void Add(float value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        _values[_count++] = value;
    }

    public float[] Build()
    {
        Array.Resize(ref _values, _count);
        return _values;
    }
}

using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// What the first pass over a file learns about one column's present cells, enough to infer its type without
/// keeping the cells: whether every one reads as a number, a spelled-out boolean or an ISO-8601 date, and whether the
/// text looks like free text (long, multi-word, mostly unique) rather than a category.
/// </summary>
public sealed class ColumnProfile
{
    /// <summary>Cells checked for uniqueness; enough to tell reviews from categories without keeping a large file's text.</summary>
    public const int UniquenessSample = 5_000;

    /// <summary>Free text: cells average at least this many characters…</summary>
    public const int TextMinimumMeanLength = 20;

    /// <summary>…at least this share of them has three or more words, and at least this share of the sampled cells is distinct.</summary>
    public const double TextMinimumShare = 0.5;

    private readonly HashSet<string> _sample = new(StringComparer.Ordinal);
    private long _sampled;

    public long Present { get; private set; }
    public bool AllNumbers { get; private set; } = true;
    public bool AllBooleans { get; private set; } = true;
    public bool AllDates { get; private set; } = true;
    public bool AnyTime { get; private set; }
    public long TotalLength { get; private set; }
    public long MultiWord { get; private set; }

    /// <summary>A present (not missing) cell, trimmed.</summary>
    public void Observe(ReadOnlySpan<char> cell)
    {
        Present++;
        if (AllNumbers && !CellParser.TryParseFloat(cell, out _))
        {
            AllNumbers = false;
        }
        if (AllBooleans && !CellParser.IsTrueOrFalse(cell))
        {
            AllBooleans = false;
        }
        ObserveText(cell, 1);
    }

    /// <summary>One present cell repeated on <paramref name="rows"/> rows (a Hive partition's value, the same in every row of its files).</summary>
    public void ObserveRepeated(string cell, long rows)
    {
        Present += rows;
        AllNumbers &= CellParser.TryParseFloat(cell.AsSpan(), out _);
        AllBooleans &= CellParser.IsTrueOrFalse(cell.AsSpan());
        ObserveText(cell.AsSpan(), rows);
    }

    /// <summary>Present values of a typed column (Parquet), observed all at once.</summary>
    public void ObserveTyped(long present, bool numbers, bool booleans)
    {
        Present += present;
        AllNumbers &= numbers;
        AllBooleans &= booleans;
        if (numbers || booleans)
        {
            AllDates = false;
        }
    }

    /// <summary>Another file's profile of the same column (a data set of several files): as if its cells were observed here.</summary>
    public void Add(ColumnProfile other)
    {
        Present += other.Present;
        AllNumbers &= other.AllNumbers;
        AllBooleans &= other.AllBooleans;
        AllDates &= other.AllDates;
        AnyTime |= other.AnyTime;
        TotalLength += other.TotalLength;
        MultiWord += other.MultiWord;
        foreach (var value in other._sample)
        {
            if (_sampled >= UniquenessSample)
            {
                break;
            }
            _sample.Add(value);
            _sampled++;
        }
    }

    /// <summary>A distinct text value of a typed column seen <paramref name="rows"/> times (Parquet's dictionary-encoded scan).</summary>
    public void ObserveDistinct(string value, long rows) => ObserveText(value.AsSpan(), rows);

    private void ObserveText(ReadOnlySpan<char> cell, long rows)
    {
        if (AllDates)
        {
            if (DateCells.TryParse(cell, null, out _))
            {
                AnyTime |= DateCells.HasTime(cell);
            }
            else
            {
                AllDates = false;
            }
        }
        TotalLength += cell.Length * rows;
        if (WordCount(cell) >= 3)
        {
            MultiWord += rows;
        }
        if (_sampled < UniquenessSample)
        {
            _sample.Add(cell.ToString());
            _sampled += rows;
        }
    }

    /// <summary>Numbers (a column with no value at all too), then booleans, dates, free text, else categories.</summary>
    public ColumnKind Infer()
    {
        if (Present == 0 || AllNumbers)
        {
            return ColumnKind.Float;
        }
        if (AllBooleans)
        {
            return ColumnKind.Bool;
        }
        if (AllDates)
        {
            return AnyTime ? ColumnKind.DateTime : ColumnKind.Date;
        }
        return LooksLikeText ? ColumnKind.Text : ColumnKind.Category;
    }

    private bool LooksLikeText =>
        TotalLength >= TextMinimumMeanLength * Present
        && MultiWord >= TextMinimumShare * Present
        && _sampled > 0 && _sample.Count >= TextMinimumShare * Math.Min(_sampled, UniquenessSample);

    public static int WordCount(ReadOnlySpan<char> text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = !char.IsWhiteSpace(c);
            if (letter && !inWord)
            {
                words++;
            }
            inWord = letter;
        }
        return words;
    }
}

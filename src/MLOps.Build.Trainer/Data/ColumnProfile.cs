namespace MLOps.Build.Trainer.Data;

/// <summary>
/// What the first pass over a file learns about one column's present cells, enough to infer its type without
/// keeping the cells: whether every one reads as a number, or as a spelled-out boolean.
/// </summary>
public sealed class ColumnProfile
{
    public long Present { get; private set; }
    public bool AllNumbers { get; private set; } = true;
    public bool AllBooleans { get; private set; } = true;

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
    }

    /// <summary>Present values of a typed column (Parquet), observed all at once.</summary>
    public void ObserveTyped(long present, bool numbers, bool booleans)
    {
        Present += present;
        AllNumbers &= numbers;
        AllBooleans &= booleans;
    }

    /// <summary>Numbers (a column with no value at all too), then booleans, else categories.</summary>
    public Manifest.ColumnKind Infer() =>
        Present == 0 || AllNumbers ? Manifest.ColumnKind.Float
        : AllBooleans ? Manifest.ColumnKind.Bool
        : Manifest.ColumnKind.Category;
}

namespace MLOps.Build.Trainer.Training;

/// <summary>Which rows a bounded post-training step looks at: all of them, or a seeded sample, in file order.</summary>
public static class RowSample
{
    /// <summary>Every row when there are at most <paramref name="max"/>; else <paramref name="max"/> rows chosen by the seed.</summary>
    public static int[] Of(int rowCount, int max, int seed)
    {
        if (rowCount <= max)
        {
            return Enumerable.Range(0, rowCount).ToArray();
        }
        // Floyd's algorithm: max draws, whatever the row count, and the same rows for the same seed.
        var random = new Random(seed);
        var chosen = new HashSet<int>();
        for (var j = rowCount - max; j < rowCount; j++)
        {
            var pick = random.Next(j + 1);
            chosen.Add(chosen.Contains(pick) ? j : pick);
        }
        var rows = chosen.ToArray();
        Array.Sort(rows);
        return rows;
    }
}

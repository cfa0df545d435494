using Parquet.Serialization;

namespace MLOps.Fuzz;

/// <summary>Writes the Parquet seed of the corpus (fuzz/corpus/parquet): numbers, text, a boolean and a date, with nulls, and the label y.</summary>
public static class ParquetSeed
{
    public sealed class Row
    {
        public double? X { get; set; }
        public long Count { get; set; }
        public string? City { get; set; }
        public bool Flag { get; set; }
        public DateTime When { get; set; }
        public string? Y { get; set; }
    }

    public static async Task Write(string path)
    {
        var rows = new[]
        {
            new Row { X = 1.5, Count = 3, City = "Zürich", Flag = true, When = new DateTime(2001, 1, 2, 0, 0, 0, DateTimeKind.Utc), Y = "a" },
            new Row { X = null, Count = 1, City = null, Flag = false, When = new DateTime(2001, 1, 3, 0, 0, 0, DateTimeKind.Utc), Y = "b" },
            new Row { X = -2, Count = 7, City = "日本", Flag = true, When = new DateTime(2001, 1, 4, 0, 0, 0, DateTimeKind.Utc), Y = null },
        };
        await ParquetSerializer.SerializeAsync(rows, path);
    }
}

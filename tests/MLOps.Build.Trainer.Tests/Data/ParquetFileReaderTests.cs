using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Tests.Infrastructure;
using Parquet.Serialization;

namespace MLOps.Build.Trainer.Tests.Data;

public sealed class ParquetFileReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed class Row
    {
        public double? Delay { get; set; }
        public long Distance { get; set; }
        public string? Origin { get; set; }
        public bool Weekend { get; set; }
        public DateTime Date { get; set; }
    }

    [Fact]
    public async Task Reads_typed_columns_with_nulls_as_text_cells()
    {
        var path = _folder.PathOf("f.parquet");
        var rows = new[]
        {
            new Row { Delay = 1.5, Distance = 300, Origin = "SEA", Weekend = true, Date = new DateTime(2001, 1, 2, 0, 0, 0, DateTimeKind.Utc) },
            new Row { Delay = null, Distance = 120, Origin = null, Weekend = false, Date = new DateTime(2001, 1, 3, 0, 0, 0, DateTimeKind.Utc) },
        };
        await ParquetSerializer.SerializeAsync(rows, path);

        var diagnostics = new DiagnosticBag();
        var table = DataFileReader.Read(path, path, default, diagnostics)!;

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["Delay", "Distance", "Origin", "Weekend", "Date"], table.Headers);
        Assert.Equal(["1.5", null], table.Columns[0]);
        Assert.Equal(["300", "120"], table.Columns[1]);
        Assert.Equal(["SEA", null], table.Columns[2]);
        Assert.Equal(["true", "false"], table.Columns[3]);
        Assert.StartsWith("2001-01-02", table.Columns[4][0]);
    }

    [Fact]
    public void A_corrupt_file_is_MLOPS1042()
    {
        var path = _folder.Write("bad.parquet", "PAR1 this is not parquet");
        var diagnostics = new DiagnosticBag();

        Assert.Null(DataFileReader.Read(path, path, default, diagnostics));
        Assert.Equal("MLOPS1042", Assert.Single(diagnostics.Items).Id);
    }
}

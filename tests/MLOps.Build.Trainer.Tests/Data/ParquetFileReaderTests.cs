using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
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

    private async Task<string> Flights()
    {
        var path = _folder.PathOf("f.parquet");
        var rows = new[]
        {
            new Row { Delay = 1.5, Distance = 300, Origin = "SEA", Weekend = true, Date = new DateTime(2001, 1, 2, 0, 0, 0, DateTimeKind.Utc) },
            new Row { Delay = null, Distance = 120, Origin = null, Weekend = false, Date = new DateTime(2001, 1, 3, 0, 0, 0, DateTimeKind.Utc) },
        };
        await ParquetSerializer.SerializeAsync(rows, path);
        return path;
    }

    [Fact]
    public async Task Typed_columns_read_straight_into_numbers_and_encoded_text()
    {
        var path = await Flights();
        var diagnostics = new DiagnosticBag();

        var scan = DataFileReader.Scan(path, path, default, diagnostics)!;
        var read = DataFileReader.Read(path, path, default, scan.Headers.Select((h, i) => ColumnTyper.Request(h, scan.Profiles[i].Infer())).ToArray(), diagnostics, scan)!;

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["Delay", "Distance", "Origin", "Weekend", "Date"], scan.Headers);
        // A Parquet timestamp reads as ISO-8601 text with a time of day: a datetime feature.
        Assert.Equal([ColumnKind.Float, ColumnKind.Float, ColumnKind.Category, ColumnKind.Bool, ColumnKind.DateTime], scan.Profiles.Select(p => p.Infer()));
        Assert.Equal([1.5f, float.NaN], read.Columns[0]!.Numbers!);
        Assert.Equal([300f, 120f], read.Columns[1]!.Numbers!);
        Assert.Equal(["SEA", null], read.Columns[2]!.Categories!);
        Assert.Equal([1f, 0f], read.Columns[3]!.Numbers!);
        Assert.StartsWith("2001-01-02", read.Columns[4]!.Categories![0]);
    }

    [Fact]
    public async Task A_number_column_declared_a_category_keeps_its_text_and_text_declared_a_number_must_read_as_one()
    {
        var path = await Flights();
        var diagnostics = new DiagnosticBag();

        var read = DataFileReader.Read(path, path, default,
            [new ColumnRequest("Distance", CellType.Text, "category"), new ColumnRequest("Weekend", CellType.Text, "category")], diagnostics)!;
        Assert.Equal(["300", "120"], read.Columns[0]!.Categories!);
        Assert.Equal(["true", "false"], read.Columns[1]!.Categories!);

        Assert.Null(DataFileReader.Read(path, path, default, [new ColumnRequest("Origin", CellType.Number, "float")], diagnostics));
        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(("MLOPS1031", 0), (d.Id, d.Location.Line));
        Assert.Equal("Row 1: 'SEA' in column 'Origin' is not a number; the column is typed 'float'.", d.Message);
    }

    [Fact]
    public void A_corrupt_file_is_MLOPS1042()
    {
        var path = _folder.Write("bad.parquet", "PAR1 this is not parquet");
        var diagnostics = new DiagnosticBag();

        Assert.Null(DataFileReader.Scan(path, path, default, diagnostics));
        Assert.Equal("MLOPS1042", Assert.Single(diagnostics.Items).Id);
    }
}

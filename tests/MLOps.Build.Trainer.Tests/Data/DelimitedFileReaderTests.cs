using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

public sealed class DelimitedFileReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DiagnosticBag _diagnostics = new();

    public void Dispose() => _folder.Dispose();

    private TextTable? Read(string name, string content) => TextTable.Read(_folder.Write(name, content), _diagnostics);

    [Fact]
    public void Reads_quoted_fields_with_separators_quotes_and_newlines()
    {
        var table = Read("a.csv", "name,\"note, long\"\n\"Smith, J\",\"said \"\"hi\"\"\"\nDoe,\"two\nlines\"\n")!;

        Assert.Empty(_diagnostics.Items);
        Assert.Equal(["name", "note, long"], table.Headers);
        Assert.Equal(["Smith, J", "Doe"], table.Columns[0]);
        Assert.Equal(["said \"hi\"", "two\nlines"], table.Columns[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData("n/a")]
    [InlineData("NaN")]
    [InlineData("null")]
    [InlineData("?")]
    [InlineData("  ")]
    public void Missing_value_spellings_read_as_null(string cell)
    {
        var table = Read("m.csv", $"a,b\n{cell},1\n")!;
        Assert.Null(table.Columns[0][0]);
    }

    [Fact]
    public void Reads_tsv_and_semicolon_files()
    {
        Assert.Equal(["x y", "z"], Read("t.tsv", "x y\tz\n1\t2\n")!.Headers);
        Assert.Equal(["a", "b"], Read("s.csv", "a;b\n1;2\n")!.Headers);
    }

    [Fact]
    public void A_ragged_row_is_MLOPS1030_at_its_line()
    {
        var path = _folder.PathOf("r.csv");
        Assert.Null(Read("r.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n"));

        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1030", path, 3, 1), (d.Id, d.Location.Path, d.Location.Line, d.Location.Column));
        Assert.Contains("Row has 2 fields but the header has 3", d.Message);
    }

    [Fact]
    public void Trailing_blank_lines_are_not_rows()
    {
        Assert.Equal(2, Read("b.csv", "a,b\n1,2\n3,4\n\n\n")!.RowCount);
    }

    [Fact]
    public void Duplicate_headers_are_MLOPS1043()
    {
        Assert.Null(Read("d.csv", "a,b,a\n1,2,3\n"));
        Assert.Equal("MLOPS1043", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void Header_only_data_is_MLOPS1032()
    {
        var path = _folder.Write("h.csv", "a,b\n");
        Assert.Null(DataFileReader.Scan(path, path, default, _diagnostics));
        Assert.Equal("MLOPS1032", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void Unsupported_extension_is_MLOPS1024()
    {
        var path = _folder.Write("x.xlsx", "a");
        Assert.Null(DataFileReader.Scan(path, path, default, _diagnostics));
        Assert.Equal("MLOPS1024", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void The_scan_profiles_every_column_without_keeping_cells_and_the_read_types_only_what_is_asked()
    {
        var path = _folder.Write("p.csv", "n,flag,c,skip\n1.5,true,a,x\n,FALSE,,y\n-2e3,false,b,z\n");

        var scan = DataFileReader.Scan(path, path, default, _diagnostics, new HashSet<string> { "skip" })!;

        Assert.Equal(3, scan.RowCount);
        Assert.Equal([ColumnKind.Float, ColumnKind.Bool, ColumnKind.Category, ColumnKind.Float], scan.Profiles.Select(p => p.Infer()));
        Assert.Equal(0, scan.Profiles[3].Present); // not profiled: its type is known
        var read = DataFileReader.Read(path, path, default,
            [new ColumnRequest("c", CellType.Text, "category"), new ColumnRequest("n", CellType.Number, "float"), new ColumnRequest("gone", CellType.Number, "float")], _diagnostics)!;
        Assert.Equal(["a", null, "b"], read.Columns[0]!.Categories!);
        Assert.Equal([0, CategoryColumn.Missing, 1], read.Columns[0]!.Categories!.Codes);
        Assert.Equal([1.5f, float.NaN, -2000f], read.Columns[1]!.Numbers!);
        Assert.Null(read.Columns[2]);
        Assert.Empty(_diagnostics.Items);
    }

    [Fact]
    public void Unreadable_cells_are_listed_five_per_column_then_counted()
    {
        var path = _folder.Write("u.csv", "n\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"x{i}\n")));

        Assert.Null(DataFileReader.Read(path, path, default, [new ColumnRequest("n", CellType.Number, "float")], _diagnostics));

        Assert.Equal([2, 3, 4, 5, 6, 0], _diagnostics.Items.Select(d => d.Location.Line));
        Assert.All(_diagnostics.Items, d => Assert.Equal("MLOPS1031", d.Id));
        Assert.StartsWith("8 cells of column 'n' cannot be read as 'float'", _diagnostics.Items[^1].Message);
    }

    [Fact]
    public void A_megabyte_cell_is_quoted_by_its_first_80_characters_and_its_length()
    {
        var cell = "9" + new string('x', 1_000_000);
        var path = _folder.Write("big.csv", $"n,m\n1,2\n\"{cell}\",3\n");

        Assert.Null(DataFileReader.Read(path, path, default, [new ColumnRequest("n", CellType.Number, "float")], _diagnostics));

        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1031", 3), (d.Id, d.Location.Line));
        Assert.Equal($"'{cell[..80]}… (cut: 1,000,001 characters)' in column 'n' is not a number; the column is typed 'float'.", d.Message);
    }

    [Fact]
    public void Column_of_a_field_respects_quotes()
    {
        var path = _folder.Write("c.csv", "a,b,c\n\"x,y\",2,oops\n");
        Assert.Equal(9, DelimitedFileReader.ColumnOf(path, 2, 2));
    }
}

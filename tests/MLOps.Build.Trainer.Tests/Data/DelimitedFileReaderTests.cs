using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

public sealed class DelimitedFileReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DiagnosticBag _diagnostics = new();

    public void Dispose() => _folder.Dispose();

    private RawTable? Read(string name, string content)
    {
        var path = _folder.Write(name, content);
        return DelimitedFileReader.Read(path, path, _diagnostics);
    }

    [Fact]
    public void Reads_quoted_fields_with_separators_quotes_and_newlines()
    {
        var table = Read("a.csv", "name,\"note, long\"\n\"Smith, J\",\"said \"\"hi\"\"\"\nDoe,\"two\nlines\"\n")!;

        Assert.Empty(_diagnostics.Items);
        Assert.Equal(["name", "note, long"], table.Headers);
        Assert.Equal(["Smith, J", "Doe"], table.Columns[0]);
        Assert.Equal(["said \"hi\"", "two\nlines"], table.Columns[1]);
        Assert.Equal([2, 3], table.Lines);
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
        Assert.Null(DataFileReader.Read(path, path, default, _diagnostics));
        Assert.Equal("MLOPS1032", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void Unsupported_extension_is_MLOPS1024()
    {
        var path = _folder.Write("x.xlsx", "a");
        Assert.Null(DataFileReader.Read(path, path, default, _diagnostics));
        Assert.Equal("MLOPS1024", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void Column_of_a_field_respects_quotes()
    {
        var path = _folder.Write("c.csv", "a,b,c\n\"x,y\",2,oops\n");
        Assert.Equal(9, DelimitedFileReader.ColumnOf(path, 2, 2));
    }
}

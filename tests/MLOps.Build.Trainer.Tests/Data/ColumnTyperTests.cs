using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

public sealed class ColumnTyperTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DiagnosticBag _diagnostics = new();

    public void Dispose() => _folder.Dispose();

    private (TrainingTable? Table, ModelManifest Manifest) Type(string csv, string task = "multiclass", string label = "y", string extra = "")
    {
        var manifestPath = _folder.Write("m.mlmodel.json",
            $"{{\n  \"name\": \"M\",\n  \"task\": \"{task}\",\n  \"label\": \"{label}\",\n  \"data\": {{ \"train\": \"d.csv\" }},\n  \"trainer\": \"LightGbm\"{extra}\n}}");
        var manifest = ManifestParser.Parse(new FileText(manifestPath, File.ReadAllBytes(manifestPath)), _diagnostics)!;
        var dataPath = _folder.Write("d.csv", csv);
        var scan = DataFileReader.Scan(dataPath, dataPath, default, _diagnostics)!;
        var typer = new ColumnTyper(manifest, _diagnostics);
        var schema = typer.DecideSchema(scan);
        return (_diagnostics.HasErrors ? null : typer.Read(DataFileSet.Single(dataPath), dataPath, default, schema, scan), manifest);
    }

    [Fact]
    public void Infers_float_bool_and_category_and_keeps_missing_values()
    {
        var (table, _) = Type("num,flag,cat,y\n1.5,true,a,p\n,FALSE,,q\n-2e3,false,b,p\n");

        Assert.NotNull(table);
        Assert.Equal([("num", ColumnKind.Float), ("flag", ColumnKind.Bool), ("cat", ColumnKind.Category)], table.Features.Select(f => (f.Name, f.Kind)));
        Assert.Equal([1.5f, float.NaN, -2000f], table.Features[0].Numbers!);
        Assert.Equal([1f, 0f, 0f], table.Features[1].Numbers!);
        Assert.Equal(["a", null, "b"], table.Features[2].Categories!);
        Assert.Equal(["p", "q", "p"], table.Label.Classes!);
    }

    [Fact]
    public void Columns_override_inference_and_exclude_removes()
    {
        var (table, _) = Type("zip,id,y\n98101,1,p\n98102,2,q\n", extra: ",\n  \"columns\": { \"zip\": \"category\" },\n  \"exclude\": [\"id\"]");

        Assert.Equal([("zip", ColumnKind.Category)], table!.Features.Select(f => (f.Name, f.Kind)));
    }

    [Fact]
    public void A_cell_that_is_not_a_number_is_MLOPS1031_at_its_line_and_column()
    {
        var (table, _) = Type("a,b,y\n1,2,p\n3,\"x, y\",q\n", extra: ",\n  \"columns\": { \"b\": \"float\" }");

        Assert.Null(table);
        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1031", _folder.PathOf("d.csv"), 3, 3), (d.Id, d.Location.Path, d.Location.Line, d.Location.Column));
        Assert.Equal("'x, y' in column 'b' is not a number; the column is typed 'float'.", d.Message);
    }

    [Fact]
    public void A_label_missing_from_the_data_is_MLOPS1033_at_the_manifest_label()
    {
        Type("a,weather\n1,p\n2,q\n", label: "wether");

        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1033", 4, 12), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("Did you mean 'weather'?", d.Message);
    }

    [Fact]
    public void A_missing_label_of_a_wide_table_lists_twenty_columns_and_counts_the_others()
    {
        var header = string.Join(",", Enumerable.Range(0, 784).Select(i => $"pixel{i}"));
        Type(header + "\n" + string.Join(",", Enumerable.Repeat("0", 784)) + "\n", label: "digit");

        var d = Assert.Single(_diagnostics.Items);
        Assert.EndsWith(" Columns: " + string.Join(", ", Enumerable.Range(0, 20).Select(i => $"pixel{i}")) + " and 764 others.", d.Message);
    }

    [Fact]
    public void A_row_without_a_label_is_MLOPS1041()
    {
        Type("a,y\n1,p\n2,\n");
        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1041", 3, 3), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Contains("\"rows\": { \"missingLabel\": \"drop\" }", d.Message);
    }

    [Theory]
    [InlineData("true", "false", true)]
    [InlineData("1", "0", true)]
    [InlineData("Yes", "no", true)]
    public void Binary_labels_accept_boolean_spellings(string positive, string negative, bool firstIsPositive)
    {
        var (table, _) = Type($"a,y\n1,{positive}\n2,{negative}\n", task: "binary");
        Assert.Equal([firstIsPositive, !firstIsPositive], table!.Label.Flags!);
    }

    [Fact]
    public void Binary_label_with_names_needs_positiveClass()
    {
        Type("a,y\n1,spam\n2,ham\n", task: "binary");
        Assert.Equal("MLOPS1040", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void PositiveClass_names_the_true_value()
    {
        var (table, _) = Type("a,y\n1,spam\n2,ham\n", task: "binary", extra: ",\n  \"positiveClass\": \"spam\"");
        Assert.Equal([true, false], table!.Label.Flags!);
    }

    [Fact]
    public void A_regression_label_that_is_not_a_number_is_MLOPS1031()
    {
        Type("a,y\n1,2.5\n2,high\n", task: "regression");
        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1031", 3, 3), (d.Id, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void An_excluded_column_that_does_not_exist_is_warning_MLOPS1036()
    {
        var (table, _) = Type("a,y\n1,p\n", extra: ",\n  \"exclude\": [\"b\"]");
        Assert.NotNull(table);
        Assert.Equal(("MLOPS1036", DiagnosticLevel.Warning), (_diagnostics.Items[0].Id, _diagnostics.Items[0].Severity));
    }

    [Fact]
    public void A_typed_column_that_does_not_exist_is_MLOPS1035()
    {
        Type("a,y\n1,p\n", extra: ",\n  \"columns\": { \"b\": \"float\" }");
        Assert.Equal("MLOPS1035", Assert.Single(_diagnostics.Items).Id);
    }

    [Fact]
    public void Only_the_label_left_is_MLOPS1037()
    {
        Type("a,y\n1,p\n", extra: ",\n  \"exclude\": [\"a\"]");
        Assert.Equal("MLOPS1037", Assert.Single(_diagnostics.Items).Id);
    }
}

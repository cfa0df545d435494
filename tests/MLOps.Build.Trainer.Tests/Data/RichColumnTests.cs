using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

/// <summary>Text and date columns, missing-value policies and row filters, from the manifest to the typed table.</summary>
public sealed class RichColumnTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DiagnosticBag _diagnostics = new();

    public void Dispose() => _folder.Dispose();

    private TrainingTable? Type(string csv, string extra = "", string task = "multiclass")
    {
        var manifestPath = _folder.Write("m.mlmodel.json",
            $"{{\n  \"name\": \"M\",\n  \"task\": \"{task}\",\n  \"label\": \"y\",\n  \"data\": {{ \"train\": \"d.csv\" }},\n  \"trainer\": \"LightGbm\"{extra}\n}}");
        var manifest = ManifestParser.Parse(new FileText(manifestPath, File.ReadAllBytes(manifestPath)), _diagnostics);
        if (manifest is null)
        {
            return null;
        }
        var dataPath = _folder.Write("d.csv", csv);
        var scan = DataFileReader.Scan(dataPath, dataPath, default, _diagnostics)!;
        var typer = new ColumnTyper(manifest, _diagnostics);
        var schema = typer.DecideSchema(scan);
        return _diagnostics.HasErrors ? null : typer.Read(DataFileSet.Single(dataPath), dataPath, default, schema, scan);
    }

    private static string Reviews(int rows)
    {
        string[] words = ["the", "battery", "lasts", "long", "screen", "cracked", "after", "a", "week", "great", "value", "for", "money", "shipping", "was", "slow"];
        var random = new Random(3);
        var lines = new List<string> { "review,city,when,stamp,y" };
        for (var i = 0; i < rows; i++)
        {
            var review = string.Join(' ', Enumerable.Range(0, 6 + random.Next(8)).Select(_ => words[random.Next(words.Length)]));
            lines.Add($"\"{review}, really\",{(i % 2 == 0 ? "Oslo" : "Lima")},2024-{1 + i % 12:00}-{1 + i % 28:00},2024-03-{1 + i % 28:00}T{i % 24:00}:15:00Z,{(i % 3 == 0 ? "p" : "q")}");
        }
        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void Long_multi_word_mostly_unique_text_is_inferred_text_ISO_dates_date_and_datetime_short_values_category()
    {
        var table = Type(Reviews(60));

        Assert.NotNull(table);
        Assert.Equal([("review", ColumnKind.Text), ("city", ColumnKind.Category), ("when", ColumnKind.Date), ("stamp", ColumnKind.DateTime)],
            table.Features.Select(f => (f.Name, f.Kind)));
    }

    [Fact]
    public void Repeated_sentences_stay_a_category()
    {
        var csv = "status,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{(i % 2 == 0 ? "waiting for the courier to pick up" : "delivered to the front door")},p\n"));

        var table = Type(csv);

        Assert.Equal(ColumnKind.Category, Assert.Single(table!.Features).Kind);
    }

    [Fact]
    public void A_date_format_reads_other_layouts_and_a_cell_that_does_not_match_is_MLOPS1031_at_its_cell()
    {
        var table = Type("day,y\n26-FEB-1987,p\n2-MAR-1987,q\n", ",\n  \"columns\": { \"day\": { \"format\": \"d-MMM-yyyy\" } }");
        Assert.Equal(ColumnKind.Date, Assert.Single(table!.Features).Kind);
        Assert.Equal([1987, 3, 2, 1, 61], table.Features[0].DatePartsByCode()[1]);

        var bad = Type("day,y\n26-FEB-1987,p\n1987/03/02,q\n", ",\n  \"columns\": { \"day\": { \"type\": \"date\", \"format\": \"d-MMM-yyyy\" } }");
        Assert.Null(bad);
        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1031", 3, 1), (d.Id, d.Location.Line, d.Location.Column));
        Assert.Equal("Column 'day' (date) has the value '1987/03/02', which is not a date in the format 'd-MMM-yyyy'.", d.Message);
    }

    [Fact]
    public void Date_parts_are_the_wall_clock_time_as_written_whatever_the_offset()
    {
        var table = Type("at,y\n2024-03-31T23:30:00+02:00,p\n2024-03-31T23:30:00Z,q\n,p\n");

        var feature = Assert.Single(table!.Features);
        Assert.Equal(ColumnKind.DateTime, feature.Kind);
        var parts = feature.DatePartsByCode();
        Assert.Equal([2024, 3, 31, 0, 91, 23, 30], parts[0]);
        Assert.Equal(parts[0], parts[1]);
        Assert.Equal(-1, feature.Categories!.Codes[2]);
    }

    [Fact]
    public void Row_filters_drop_missing_labels_and_out_of_range_values_count_them_and_keep_missing_values()
    {
        var table = Type("t,y\n10,p\n,q\n99,p\n-80,q\n12,\n",
            ",\n  \"rows\": { \"missingLabel\": \"drop\", \"ranges\": { \"t\": { \"min\": -50, \"max\": 60 } } }");

        Assert.NotNull(table);
        Assert.Equal([10f, float.NaN], table.Features[0].Numbers!);
        Assert.Equal(["p", "q"], table.Label.Classes!);
        Assert.Equal((5, 1, 3), (table.Filtered!.RowsRead, table.Filtered.MissingLabel, table.Filtered.Dropped));
        Assert.Equal(2, table.Filtered.OutOfRange["t"]);
        var info = Assert.Single(_diagnostics.Items);
        Assert.Equal("MLOPS1045", info.Id);
        Assert.Contains("dropped 3 of 5 rows (missing label 1, 't' out of range 2)", info.Message);
    }

    [Fact]
    public void Row_filters_that_drop_every_row_are_MLOPS1046_at_the_rows_section()
    {
        var table = Type("t,y\n100,p\n200,q\n", ",\n  \"rows\": { \"ranges\": { \"t\": { \"max\": 60 } } }");

        Assert.Null(table);
        var d = Assert.Single(_diagnostics.Items);
        Assert.Equal(("MLOPS1046", 7, 3), (d.Id, d.Location.Line, d.Location.Column));
    }

    [Theory]
    [InlineData("\"columns\": { \"c\": { \"type\": \"category\", \"missing\": \"median\" } }", "MLOPS1044", "\"median\"")]
    [InlineData("\"columns\": { \"n\": { \"type\": \"float\", \"format\": \"yyyy\" } }", "MLOPS1044", "\"yyyy\"")]
    [InlineData("\"columns\": { \"n\": { \"type\": \"float\", \"wordNgrams\": 2 } }", "MLOPS1044", "\"wordNgrams\"")]
    [InlineData("\"columns\": { \"c\": { \"type\": \"text\", \"weighting\": \"tfidf\" } }", "MLOPS1011", "\"tfidf\"")]
    [InlineData("\"columns\": { \"c\": { \"missing\": \"median\" } }", "MLOPS1044", "\"median\"")]
    [InlineData("\"rows\": { \"ranges\": { \"c\": { \"min\": 0 } } }", "MLOPS1044", "\"c\"")]
    [InlineData("\"rows\": { \"missingLabel\": \"skip\" }", "MLOPS1011", "\"skip\"")]
    public void Settings_that_cannot_apply_are_coded_errors_at_their_manifest_position(string section, string id, string at)
    {
        var table = Type("n,c,y\n1,a,p\n2,b,q\n", ",\n  " + section);

        Assert.Null(table);
        var d = Assert.Single(_diagnostics.Items, i => i.Severity == DiagnosticLevel.Error);
        // The section is line 7 of the manifest, indented by two spaces.
        Assert.Equal((id, 7, 3 + section.IndexOf(at, StringComparison.Ordinal)), (d.Id, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Missing_value_policies_are_decided_on_the_training_rows()
    {
        var table = Type("a,b,c,d,y\n1,x,5,,p\n,x,,,q\n3,z,9,,p\n10,,,,q\n",
            ",\n  \"columns\": { \"a\": { \"missing\": \"median\" }, \"b\": { \"missing\": \"mostFrequent\" }, \"c\": { \"missing\": { \"constant\": -1 } }, \"d\": { \"type\": \"category\", \"missing\": { \"constant\": \"none\" } } }");

        var decided = table!.Features.Select(FeaturePreprocessing.Decide).ToArray();
        Assert.Equal(new FeaturePreprocessing(false, 3f, null, "median"), decided[0]);
        Assert.Equal(new FeaturePreprocessing(false, null, "x", "mostFrequent"), decided[1]);
        Assert.Equal(new FeaturePreprocessing(false, -1f, null, "constant"), decided[2]);
        Assert.Equal(new FeaturePreprocessing(false, null, "none", "constant"), decided[3]);
        Assert.Equal(3f, decided[0].Number(float.NaN));
        Assert.Equal("x", decided[1].Text(null));
    }
}

using System.Globalization;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Benchmarks.EstimateAccuracy;

/// <summary>
/// A public data set split where it really shifts: <see cref="Reference"/> (the past, or one group) is what a model
/// learns and is tested on; <see cref="Shifted"/> (later, or another group) is what it meets in production.
/// </summary>
internal sealed record ShiftedDataSet(string Name, string Shift, string Task, string Label, string[] Header, List<string?[]> Reference, List<string?[]> Shifted);

/// <summary>Six vega-datasets files, each split by time or by a covariate.</summary>
internal static class ShiftedDataSets
{
    public static IEnumerable<ShiftedDataSet> All()
    {
        yield return SeattleWeather();
        yield return Cars();
        yield return Penguins();
        yield return Movies();
        yield return BirdStrikes();
        yield return Flights();
    }

    private static ShiftedDataSet SeattleWeather()
    {
        var rows = File.ReadLines(VegaDatasets.File("seattle-weather.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        string?[] Row(string[] r) => [r[1], r[2], r[3], r[4], r[5]];
        return new("Seattle weather", "time: 2012–2014 → 2015", "multiclass", "weather", ["precipitation", "temp_max", "temp_min", "wind", "weather"],
            rows.Where(r => string.CompareOrdinal(r[0], "2015") < 0).Select(Row).ToList(), rows.Where(r => r[0].StartsWith("2015", StringComparison.Ordinal)).Select(Row).ToList());
    }

    private static ShiftedDataSet Cars()
    {
        string[] features = ["Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"];
        var rows = Json("cars.json");
        string?[] Row(JsonElement c) => [.. features.Select(f => Cell(c, f)), Cell(c, "Origin")];
        static int Year(JsonElement c) => int.Parse(c.GetProperty("Year").GetString()![..4], CultureInfo.InvariantCulture);
        return new("Cars (origin)", "time: model years 1970–1976 → 1977–1982", "multiclass", "Origin", [.. features, "Origin"],
            rows.Where(c => Year(c) < 1977).Select(Row).ToList(), rows.Where(c => Year(c) >= 1977).Select(Row).ToList());
    }

    private static ShiftedDataSet Penguins()
    {
        string[] features = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
        var rows = Json("penguins.json").Where(p => Cell(p, "Sex") is "MALE" or "FEMALE").ToArray();
        string?[] Row(JsonElement p) => [.. features.Select(f => Cell(p, f)), Cell(p, "Species")];
        return new("Penguins (species)", "covariate: males → females (lighter, smaller beaks)", "multiclass", "Species", [.. features, "Species"],
            rows.Where(p => Cell(p, "Sex") == "MALE").Select(Row).ToList(), rows.Where(p => Cell(p, "Sex") == "FEMALE").Select(Row).ToList());
    }

    private static ShiftedDataSet Movies()
    {
        string[] features = ["Production Budget", "Running Time min", "IMDB Rating", "IMDB Votes", "Major Genre", "Creative Type"];
        string[] ratings = ["G", "PG", "PG-13", "R"];
        var rows = Json("movies.json").Where(m => Cell(m, "MPAA Rating") is { } r && ratings.Contains(r) && Year(m) is >= 1990 and <= 2010).ToArray();
        string?[] Row(JsonElement m) => [.. features.Select(f => Cell(m, f)), Cell(m, "MPAA Rating")];
        static int Year(JsonElement m) => Cell(m, "Release Date") is { Length: >= 4 } d && int.TryParse(d[^4..], CultureInfo.InvariantCulture, out var y) ? y : 0;
        return new("Movies (MPAA rating)", "time: released 1990–2002 → 2003–2010", "multiclass", "MPAA Rating", [.. features, "MPAA Rating"],
            rows.Where(m => Year(m) <= 2002).Select(Row).ToList(), rows.Where(m => Year(m) > 2002).Select(Row).ToList());
    }

    private static ShiftedDataSet BirdStrikes()
    {
        var lines = File.ReadLines(VegaDatasets.File("birdstrikes.csv")).Select(l => l.Split(',')).ToArray();
        var header = lines[0];
        int Column(string name) => Array.IndexOf(header, name);
        string[] features = ["Phase of flight", "Wildlife Size", "Time of day", "Speed IAS in knots"];
        // A line with a quoted comma has more cells than the header; those few are left out.
        var rows = lines.Skip(1).Where(r => r.Length == header.Length && r[Column("Effect Amount of damage")] is "None" or "Minor" or "Medium" or "Substantial").ToArray();
        string?[] Row(string[] r) => [.. features.Select(f => r[Column(f)]), r[Column("Effect Amount of damage")] == "None" ? "false" : "true"];
        int Year(string[] r) => int.Parse(r[Column("Flight Date")][..4], CultureInfo.InvariantCulture);
        return new("Bird strikes (damage)", "time: 1990–1997 → 1998–2002", "binary", "damaged", [.. features, "damaged"],
            rows.Where(r => Year(r) <= 1997).Select(Row).ToList(), rows.Where(r => Year(r) > 1997).Select(Row).ToList());
    }

    /// <summary>Delayed by more than 15 minutes, from the hour, distance and origin: January against June (summer storms, more traffic).</summary>
    private static ShiftedDataSet Flights()
    {
        // Read as the trainer reads Parquet (a timestamp comes back as ISO 8601 text).
        var path = VegaDatasets.File("flights-3m.parquet");
        var columns = DataFileReader.Read(path, path, FileLocation.File(path),
            [ColumnTyper.Request("date", ColumnKind.Category), ColumnTyper.Request("delay", ColumnKind.Float),
             ColumnTyper.Request("distance", ColumnKind.Float), ColumnTyper.Request("origin", ColumnKind.Category)], new DiagnosticBag())!;
        var (dates, delays, distances, origins) = (columns.Columns[0]!.Categories!, columns.Columns[1]!.Numbers!, columns.Columns[2]!.Numbers!, columns.Columns[3]!.Categories!);
        var random = new Random(42);
        var january = new List<string?[]>();
        var june = new List<string?[]>();
        for (var i = 0; i < columns.RowCount; i++)
        {
            var date = DateTime.Parse(dates[i]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            var into = date.Month == 1 ? january : date.Month == 6 ? june : null;
            // A seeded 1 in 8 of each month: about 30,000 rows apiece.
            if (into is null || random.Next(8) != 0 || float.IsNaN(delays[i]))
            {
                continue;
            }
            into.Add([date.Hour.ToString(CultureInfo.InvariantCulture), float.IsNaN(distances[i]) ? null : distances[i].ToString(CultureInfo.InvariantCulture),
                origins[i], delays[i] > 15 ? "true" : "false"]);
        }
        return new("Flights (delayed > 15 min)", "time: January → June 2001", "binary", "delayed", ["hour", "distance", "origin", "delayed"], january, june);
    }

    private static JsonElement[] Json(string name) =>
        JsonDocument.Parse(File.ReadAllBytes(VegaDatasets.File(name))).RootElement.EnumerateArray().ToArray();

    private static string? Cell(JsonElement row, string name) => row.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    } : null;
}

using System.Globalization;
using System.Text;

namespace MLOps.Build.Trainer.Tests.Infrastructure;

/// <summary>
/// Deterministic tabular data shaped like real exports: headers with spaces and units, a quoted category
/// with a comma, a boolean, missing values; labels for each task that depend on the features.
/// </summary>
public static class SyntheticData
{
    public const string Header = "id,Body Mass (g),flipper length,island,has tag,species,heavy,bill depth";

    /// <param name="massShift">Added to every body mass: a drifted numeric feature.</param>
    /// <param name="newIsland">Replaces "Dream": a category never seen in training.</param>
    public static string Csv(int rows, int seed, double massShift = 0, string? newIsland = null)
    {
        var random = new Random(seed);
        var text = new StringBuilder(Header).Append('\n');
        string[] islands = ["Biscoe", newIsland ?? "Dream", "\"Torgersen, north\""];
        for (var i = 0; i < rows; i++)
        {
            var island = random.Next(3);
            var mass = 3000 + island * 800 + random.NextDouble() * 900 + massShift;
            var flipper = 170 + island * 12 + random.NextDouble() * 15;
            var tagged = random.Next(2) == 1;
            var species = island switch { 0 => "Adelie", 1 => "Chinstrap", _ => "Gentoo" };
            if (random.NextDouble() < 0.1)
            {
                species = random.Next(2) == 0 ? "Adelie" : "Gentoo";
            }
            var heavy = mass > 4100;
            var depth = 13 + mass / 1000 + random.NextDouble();
            var massText = random.NextDouble() < 0.05 ? "" : mass.ToString("0.0", CultureInfo.InvariantCulture);
            var flipperText = random.NextDouble() < 0.05 ? "NA" : flipper.ToString("0.0", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{i},{massText},{flipperText},{islands[island]},{(tagged ? "true" : "false")},{species},{(heavy ? "yes" : "no")},{depth:0.00}\n");
        }
        return text.ToString();
    }

    /// <summary>The cells of <see cref="Csv"/>'s rows, its header left out (quoted cells such as "Torgersen, north" unquoted).</summary>
    public static IEnumerable<IReadOnlyList<string>> Rows(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line =>
        {
            var cells = new List<string>();
            var quoted = false;
            var cell = new StringBuilder();
            foreach (var c in line)
            {
                if (c == '"') { quoted = !quoted; continue; }
                if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); continue; }
                cell.Append(c);
            }
            cells.Add(cell.ToString());
            return (IReadOnlyList<string>)cells;
        });

    public static string Manifest(string task, string label, string trainer, string options = "{}", string extra = "") => $$"""
        {
          "name": "Penguins",
          "task": "{{task}}",
          "label": "{{label}}",
          "data": { "train": "train.csv", "test": "test.csv" },
          "exclude": ["id", {{string.Join(", ", new[] { "species", "heavy", "bill depth" }.Where(l => l != label).Select(l => $"\"{l}\""))}}],
          "trainer": { "name": "{{trainer}}", "options": {{options}} },
          "seed": 1{{extra}}
        }
        """;

    /// <summary>
    /// Trains <see cref="Manifest"/> in process on <paramref name="folder"/>'s train.csv and test.csv (written with
    /// <see cref="Csv"/> at seeds 1 and 2 when missing) and returns the run, or fails with the diagnostics.
    /// </summary>
    public static MLOps.Build.Trainer.Training.TrainingRun Fit(TempFolder folder, string task, string label, string trainer)
    {
        foreach (var (name, rows, seed) in new[] { ("train.csv", 300, 1), ("test.csv", 200, 2) })
        {
            if (!File.Exists(folder.PathOf(name)))
            {
                folder.Write(name, Csv(rows, seed));
            }
        }
        var path = folder.Write("Penguins.mlmodel.json", Manifest(task, label, trainer));
        var diagnostics = new MLOps.Build.Diagnostics.DiagnosticBag();
        var manifest = MLOps.Build.Manifest.ManifestParser.ParseFile(path, diagnostics)!;
        return new MLOps.Build.Trainer.Training.ManifestTraining(diagnostics).Fit(manifest) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
    }
}

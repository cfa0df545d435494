using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Data;

/// <summary>Hive-partitioned folders named by a glob: the partition keys become columns, typed like any cell.</summary>
public sealed class PartitionColumnTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The synthetic rows split by island into <c>events/year=…/colony=…/</c> folders, the island column left in the files.</summary>
    private void WritePartitions(Func<int, string> folderOf)
    {
        var lines = SyntheticData.Csv(240, seed: 1).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var groups = lines.Skip(1).Select((line, i) => (line, i)).GroupBy(x => folderOf(x.i));
        foreach (var group in groups)
        {
            _folder.Write($"events/{group.Key}/part-0.csv", lines[0] + "\n" + string.Join("\n", group.Select(x => x.line)) + "\n");
        }
    }

    private (bool Ok, DiagnosticBag Diagnostics, string Output) Train(string test = "\"testFraction\": 0.25")
    {
        var manifest = _folder.Write("Penguins.mlmodel.json", SyntheticData.Manifest("multiclass", "species", "LbfgsMaximumEntropy")
            .Replace("\"data\": { \"train\": \"train.csv\", \"test\": \"test.csv\" }", $"\"data\": {{ \"train\": \"events/**/*.csv\", {test} }}", StringComparison.Ordinal));
        var diagnostics = new DiagnosticBag();
        var output = _folder.PathOf("out");
        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(manifest, output, "fp"));
        return (ok, diagnostics, output);
    }

    [Fact]
    public void Partition_keys_become_typed_columns_of_every_row()
    {
        WritePartitions(i => $"year={2023 + i % 2}/colony={(i % 3 == 0 ? "north%20shore" : "south")}");

        var (ok, diagnostics, output) = Train();

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, ArtifactNames.ModelCard)));
        var inputs = card.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("column").GetString()!, i => i.GetProperty("kind").GetString());
        Assert.Equal(("float", "category"), (inputs["year"], inputs["colony"]));
        var colony = card.RootElement.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("column").GetString() == "colony");
        Assert.Contains("north shore", colony.ToString(), StringComparison.Ordinal); // percent-decoded as Hive writes it
        Assert.Equal(180, card.RootElement.GetProperty("data").GetProperty("train").GetProperty("rows").GetInt64()); // 240 less the test fraction
    }

    [Fact]
    public void Files_partitioned_by_other_keys_or_a_key_that_is_also_a_column_are_coded()
    {
        WritePartitions(i => i % 2 == 0 ? "year=2023" : "colony=south");
        var (_, differing, _) = Train();
        Assert.Contains("every file of a partitioned set has the same partition keys", Assert.Single(differing.Items, d => d.Id == "MLOPS1039").Message, StringComparison.Ordinal);

        Directory.Delete(_folder.PathOf("events"), recursive: true);
        WritePartitions(i => $"island={i % 2}");
        var (_, clash, _) = Train();
        Assert.Contains("has a column 'island' and lies in a partition folder 'island=…'", Assert.Single(clash.Items, d => d.Id == "MLOPS1043").Message, StringComparison.Ordinal);
    }
}

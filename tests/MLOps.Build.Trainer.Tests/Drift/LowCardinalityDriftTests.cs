using System.Globalization;
using System.Text;
using System.Text.Json;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Drift;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Drift;

/// <summary>
/// Numeric columns with few distinct values (0/1 flags stored as numbers, zero-heavy amounts): quantile edges used to
/// collapse them into one bin, so PSI was 0 whatever the data did. Found on public data: a 0/1 feature whose share of
/// ones went from 28 % to 100 % reported "no feature drifts".
/// </summary>
public sealed class LowCardinalityDriftTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>flag: 0/1 as a number; spend: zero in 80 % of rows, spread out otherwise; the label follows both.</summary>
    private static string Csv(int rows, double flagShare, double zeroShare, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("flag,spend,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var flag = random.NextDouble() < flagShare ? 1 : 0;
            var spend = random.NextDouble() < zeroShare ? 0 : Math.Round(1 + random.NextDouble() * 99, 2);
            var churned = (flag == 1) ^ (spend > 50) ^ (random.NextDouble() < 0.1);
            text.Append(CultureInfo.InvariantCulture, $"{flag},{spend},{(churned ? "true" : "false")}\n");
        }
        return text.ToString();
    }

    [Fact]
    public void A_0_1_number_and_a_zero_heavy_number_drift_when_their_shares_change()
    {
        _folder.Write("train.csv", Csv(600, flagShare: 0.28, zeroShare: 0.8, seed: 1));
        _folder.Write("test.csv", Csv(200, flagShare: 0.28, zeroShare: 0.8, seed: 2));
        _folder.Write("now.csv", Csv(600, flagShare: 1.0, zeroShare: 0.2, seed: 3));
        var path = _folder.Write("Churn.mlmodel.json", """
            {
              "name": "Churn",
              "task": "binary",
              "label": "churned",
              "data": { "train": "train.csv", "test": "test.csv" },
              "columns": { "flag": "float", "spend": "float" },
              "trainer": { "name": "FastTree", "options": { "NumberOfTrees": 10 } },
              "seed": 1,
              "drift": { "current": "now.csv", "method": "psi" }
            }
            """);
        var output = _folder.PathOf("out");
        var diagnostics = new DiagnosticBag();
        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(path, output, "fp")), string.Join("\n", diagnostics.Items));

        var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelcard.json"))).RootElement;
        Assert.Equal([0, 0.5, 1], Edges(card, "flag"));
        var spend = Edges(card, "spend");
        Assert.Equal(0, spend[0]);
        Assert.True(spend[1] is > 0 and < 2, $"the zeros keep a bin of their own (the smallest amount is 2.26): {string.Join(", ", spend)}");

        diagnostics = new DiagnosticBag();
        new DriftCommand(diagnostics).Run(new DriftRequest(path, output, "drift-fp"));
        var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "drift.json"))).RootElement;
        foreach (var feature in new[] { "flag", "spend" })
        {
            var drift = report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == feature);
            Assert.True(drift.GetProperty("drifted").GetBoolean(), $"{feature}: {drift}");
            Assert.True(drift.GetProperty("statistics").GetProperty("psi").GetDouble() > 1, $"{feature}: {drift}");
        }
        Assert.Contains(diagnostics.Items, d => d.Id == "MLOPS4100" && d.Message.Contains("2 of 2 features drift (flag, spend)"));
    }

    private static double[] Edges(JsonElement card, string column) =>
        card.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("column").GetString() == column)
            .GetProperty("statistics").GetProperty("histogram").GetProperty("edges").EnumerateArray().Select(e => e.GetDouble()).ToArray();
}

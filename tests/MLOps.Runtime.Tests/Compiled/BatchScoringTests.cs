using MLOps.Runtime.Tests.Models;

namespace MLOps.Runtime.Tests;

/// <summary>
/// A generated class's compiled <c>PredictBatch</c> scores rows in blocks (inputs copied in a column at a time, every
/// kernel over the block, outputs copied out) and must give every row the same bits as <c>Predict</c>: random rows
/// across several blocks, with missing numbers, missing, unseen and non-ASCII categories (a newline, U+2028, a 1 MiB
/// string), both booleans.
/// </summary>
public sealed class BatchScoringTests
{
    private const int Rows = 700;
    private static readonly string?[] Plans = ["basic", "plus", "pro", null, "", "PRO", "prö", "pro\u00A0", "企業", "🙂", "pro\n", "plus\u2028basic", new string('x', 1 << 20)];

    private static IEnumerable<(float Age, float Spend, string? Plan, bool AutoRenew)> RandomRows(int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < Rows; r++)
        {
            yield return (
                random.Next(8) == 0 ? float.NaN : random.Next(10, 95) + (float)random.NextDouble(),
                random.Next(8) == 0 ? float.NaN : (float)(random.NextDouble() * 250) - 10,
                Plans[random.Next(Plans.Length)],
                random.Next(2) == 0);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_binary_models_batch_is_each_row_scored_alone(int seed)
    {
        using var model = ChurnModel.Load();
        Assert.Equal(ScoringEngine.Compiled, model.Engine);
        var inputs = RandomRows(seed).Select(r => new ChurnModel.Input { CustomerAge = r.Age, MonthlySpend = r.Spend, Plan = r.Plan, AutoRenew = r.AutoRenew }).ToArray();
        var batch = new ChurnModel.Output[inputs.Length];

        model.PredictBatch(inputs, batch);

        for (var r = 0; r < inputs.Length; r++)
        {
            var single = model.Predict(inputs[r]);
            Assert.True(single.PredictedLabel == batch[r].PredictedLabel, $"row {r}: label");
            Assert.True(BitConverter.SingleToInt32Bits(single.Score) == BitConverter.SingleToInt32Bits(batch[r].Score), $"row {r}: score {single.Score} alone, {batch[r].Score} in the batch");
            Assert.True(BitConverter.SingleToInt32Bits(single.Probability) == BitConverter.SingleToInt32Bits(batch[r].Probability), $"row {r}: probability");
        }
        Assert.Contains(batch, o => o.PredictedLabel);
        Assert.Contains(batch, o => !o.PredictedLabel);
    }

    [Fact]
    public void A_regression_models_batch_of_any_length_is_each_row_scored_alone()
    {
        using var model = TenureModel.Load();
        Assert.Equal(ScoringEngine.Compiled, model.Engine);
        var inputs = RandomRows(3).Select(r => new TenureModel.Input { CustomerAge = r.Age, MonthlySpend = r.Spend, Plan = r.Plan, AutoRenew = r.AutoRenew }).ToArray();
        var alone = inputs.Select(i => BitConverter.SingleToInt32Bits(model.Predict(i).Score)).ToArray();

        // Lengths around a block's edge and a batch that is a slice of a longer array.
        foreach (var length in new[] { 2, 127, 128, 129, 257, Rows })
        {
            var batch = new TenureModel.Output[length];
            model.PredictBatch(inputs.AsSpan(Rows - length, length), batch);
            for (var r = 0; r < length; r++)
            {
                Assert.True(alone[Rows - length + r] == BitConverter.SingleToInt32Bits(batch[r].Score), $"length {length}, row {r}");
            }
        }
        Assert.True(alone.Distinct().Count() > 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_batch_fills_only_its_rows_and_names_a_null_row(bool onnxRuntime)
    {
        using var model = ChurnModel.Load(new ModelSessionOptions { UseOnnxRuntime = onnxRuntime });
        var inputs = RandomRows(4).Take(5).Select(r => new ChurnModel.Input { CustomerAge = r.Age, MonthlySpend = r.Spend, Plan = r.Plan, AutoRenew = r.AutoRenew }).ToArray();
        var outputs = new ChurnModel.Output[7];

        model.PredictBatch(inputs, outputs);

        Assert.All(outputs[..5], o => Assert.NotNull(o));
        Assert.Null(outputs[5]);
        Assert.Null(outputs[6]);
        inputs[3] = null!;
        var refused = Assert.Throws<ArgumentException>(() => model.PredictBatch(inputs, outputs));
        Assert.Equal("inputs", refused.ParamName);
        Assert.StartsWith("inputs[3] is null.", refused.Message);
        Assert.Throws<ArgumentException>(() => model.PredictBatch(inputs, new ChurnModel.Output[4]));
    }
}

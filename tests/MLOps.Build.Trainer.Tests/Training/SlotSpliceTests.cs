using Microsoft.ML.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Tests.Training;

public sealed class SlotSpliceTests
{
    private static readonly float[] Own = [1, 0, 2, 0, 0, 3, 4, 0];
    private static readonly float[] Donor = [0, 5, 0, 6, 7, 0, 0, 8];

    public static TheoryData<bool, bool, int, int> Cases()
    {
        var cases = new TheoryData<bool, bool, int, int>();
        foreach (var ownDense in new[] { true, false })
        {
            foreach (var donorDense in new[] { true, false })
            {
                foreach (var (start, end) in new[] { (0, 0), (0, 8), (2, 5), (3, 4), (7, 8), (0, 1) })
                {
                    cases.Add(ownDense, donorDense, start, end);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Slots_in_the_range_come_from_the_donor_and_the_rest_from_the_row_itself(bool ownDense, bool donorDense, int start, int end)
    {
        VBuffer<float> result = default;

        SlotSplice.Combine(Vector(Own, ownDense), Vector(Donor, donorDense), start, end, ref result);

        var expected = Own.Select((value, slot) => slot >= start && slot < end ? Donor[slot] : value);
        Assert.Equal(expected, result.DenseValues());
        // Dense when both are; sparse ones make a dense result only when every slot has an entry.
        Assert.True(result.IsDense == (ownDense && donorDense) || result.GetValues().Length == Own.Length);
    }

    [Fact]
    public void A_reused_result_buffer_keeps_no_entries_of_its_last_row()
    {
        VBuffer<float> result = default;
        SlotSplice.Combine(Vector(Own, dense: true), Vector(Donor, dense: true), 0, 8, ref result);

        SlotSplice.Combine(Vector(Own, dense: false), Vector(Donor, dense: false), 0, 0, ref result);

        Assert.Equal(Own, result.DenseValues());
    }

    private static VBuffer<float> Vector(float[] values, bool dense)
    {
        if (dense)
        {
            return new VBuffer<float>(values.Length, values);
        }
        var indices = Enumerable.Range(0, values.Length).Where(i => values[i] != 0).ToArray();
        return new VBuffer<float>(values.Length, indices.Length, indices.Select(i => values[i]).ToArray(), indices);
    }
}

using System.Buffers;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>A block of rows' accumulated tree scores and marks (<see cref="TreeEnsemble.AccumulateRows"/>), in pooled arrays.</summary>
internal readonly struct TreeBlockScores : IDisposable
{
    private readonly float[] _scores;
    private readonly bool[] _hasScore;
    private readonly int _targets;

    private TreeBlockScores(float[] scores, bool[] hasScore, int targets) => (_scores, _hasScore, _targets) = (scores, hasScore, targets);

    public static TreeBlockScores Accumulate(TreeEnsemble trees, Aggregate aggregate, ReadOnlySpan<float> numbers, int rows, int stride, int input)
    {
        var length = rows * trees.Targets;
        var block = new TreeBlockScores(ArrayPool<float>.Shared.Rent(length), ArrayPool<bool>.Shared.Rent(length), trees.Targets);
        block._scores.AsSpan(0, length).Clear();
        block._hasScore.AsSpan(0, length).Clear();
        trees.AccumulateRows(numbers, stride, input, rows, block._scores.AsSpan(0, length), block._hasScore.AsSpan(0, length), aggregate);
        return block;
    }

    public Span<float> Scores(int row) => _scores.AsSpan(row * _targets, _targets);

    public Span<bool> HasScore(int row) => _hasScore.AsSpan(row * _targets, _targets);

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_scores);
        ArrayPool<bool>.Shared.Return(_hasScore);
    }
}

using MLOps.Shared;

namespace MLOps.Runtime.Monitoring;

/// <summary>
/// One feature's live counts since the monitor started and in each window: a slot per training bin (a category's
/// unseen bin included), then missing values, then numbers outside the training range. Scoring threads never wait
/// for each other (<see cref="StripedCounts"/>).
/// </summary>
internal sealed class FeatureCounts
{
    private readonly DriftReference _reference;
    private readonly int _input;
    private readonly TensorKind _kind;
    private readonly Dictionary<string, int>? _categoryBins;
    private readonly long[] _trainingCounts;
    private readonly double _low;
    private readonly double _high;
    private readonly StripedCounts _allTime;
    private readonly WindowCounts<StripedCounts>[] _windows;

    public FeatureCounts(ModelInput input, int index, IReadOnlyList<DriftWindow> windows, TimeProvider time)
    {
        Name = input.Name;
        _reference = input.DriftReference!;
        _input = index;
        _kind = input.Kind;
        _trainingCounts = [.. _reference.TrainingCounts];
        Bins = _reference.BinCount;
        if (_reference.Categories is { } categories)
        {
            _categoryBins = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < categories.Count; i++)
            {
                _categoryBins[categories[i]] = i;
            }
        }
        (_low, _high) = _reference.Edges is { Count: > 0 } edges ? (edges[0], edges[^1]) : (double.NegativeInfinity, double.PositiveInfinity);
        _allTime = new StripedCounts(Slots);
        _windows = windows.Select(w => new WindowCounts<StripedCounts>(w, () => new StripedCounts(Slots), time)).ToArray();
    }

    public string Name { get; }

    /// <summary>Bins of the training histogram (for categories, with the last one for unseen values).</summary>
    public int Bins { get; }

    private int MissingSlot => Bins;

    private int OutOfRangeSlot => Bins + 1;

    private int Slots => Bins + 2;

    public IReadOnlyList<WindowCounts<StripedCounts>> Windows => _windows;

    /// <summary>Counts this feature's column of a scored batch, with the windows' current periods.</summary>
    public void Count(ModelBatch batch, ReadOnlySpan<long> periods, int stripe)
    {
        switch (_kind)
        {
            case TensorKind.String when _categoryBins is not null:
                foreach (var value in batch.Strings(_input))
                {
                    Add(periods, stripe, string.IsNullOrEmpty(value) ? MissingSlot : _categoryBins.TryGetValue(value, out var bin) ? bin : Bins - 1);
                }
                break;
            case TensorKind.Float when _reference.Edges is not null:
                foreach (var value in batch.Floats(_input))
                {
                    Number(periods, stripe, value);
                }
                break;
            case TensorKind.Double when _reference.Edges is not null:
                foreach (var value in batch.Doubles(_input))
                {
                    Number(periods, stripe, value);
                }
                break;
        }
    }

    private void Number(ReadOnlySpan<long> periods, int stripe, double value)
    {
        if (double.IsNaN(value))
        {
            Add(periods, stripe, MissingSlot);
            return;
        }
        Add(periods, stripe, _reference.BinOf(value));
        if (value < _low || value > _high)
        {
            Add(periods, stripe, OutOfRangeSlot);
        }
    }

    private void Add(ReadOnlySpan<long> periods, int stripe, int slot)
    {
        _allTime.Increment(stripe, slot);
        for (var w = 0; w < _windows.Length; w++)
        {
            _windows[w].For(periods[w])?.Increment(stripe, slot);
        }
    }

    /// <summary>The figures since the monitor started (<paramref name="window"/> null) or over one window.</summary>
    public FeatureDrift Snapshot(WindowCounts<StripedCounts>? window)
    {
        Span<long> counts = stackalloc long[Slots];
        counts.Clear();
        if (window is null)
        {
            _allTime.AddTo(counts);
        }
        else
        {
            foreach (var bucket in window.Current())
            {
                bucket.AddTo(counts);
            }
        }
        var bins = counts[..Bins].ToArray();
        long present = 0;
        foreach (var count in bins)
        {
            present += count;
        }
        var missing = counts[MissingSlot];
        var rows = present + missing;
        return new FeatureDrift(Name, window?.Window.Name ?? DriftWindow.AllTime, rows, missing,
            present == 0 ? double.NaN : PopulationStability.Index(_trainingCounts, bins),
            _categoryBins is null || present == 0 ? double.NaN : (double)bins[^1] / present,
            _categoryBins is not null || present == 0 ? double.NaN : (double)counts[OutOfRangeSlot] / present);
    }
}

/// <summary>One feature's drift over one window: the figures <see cref="DriftMonitor"/> publishes.</summary>
/// <param name="Feature">The input's name.</param>
/// <param name="Window">The window's name (<see cref="DriftWindow.Name"/>), or <see cref="DriftWindow.AllTime"/>.</param>
/// <param name="Rows">Values counted, missing ones included.</param>
/// <param name="Missing">Values that were missing (NaN, null or empty).</param>
/// <param name="Psi">Population stability index against the training data; NaN before the first present value.</param>
/// <param name="UnseenShare">Share of a category's present values never seen in training; NaN for numbers.</param>
/// <param name="OutOfRangeShare">Share of a number's present values outside the training range; NaN for categories.</param>
public sealed record FeatureDrift(string Feature, string Window, long Rows, long Missing, double Psi, double UnseenShare, double OutOfRangeShare)
{
    /// <summary>Share of the values that were missing; NaN before the first value.</summary>
    public double MissingShare => Rows == 0 ? double.NaN : (double)Missing / Rows;
}

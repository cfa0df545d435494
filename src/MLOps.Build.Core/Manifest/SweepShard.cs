namespace MLOps.Build.Manifest;

/// <summary>One of <see cref="Count"/> CI jobs that split a sweep's configurations between them; <see cref="Index"/> is 1-based.</summary>
public sealed record SweepShard(int Index, int Count)
{
    /// <summary>"2/4" → shard 2 of 4; null when the text is not i/n with 1 ≤ i ≤ n.</summary>
    public static SweepShard? Parse(string? text)
    {
        var parts = text?.Split('/');
        return parts is { Length: 2 } && int.TryParse(parts[0], out var index) && int.TryParse(parts[1], out var count) && count >= 1 && index >= 1 && index <= count
            ? new SweepShard(index, count)
            : null;
    }

    public override string ToString() => $"{Index}/{Count}";
}

using System.Diagnostics;
using System.Globalization;
using MLOps.Build.Progress;

namespace MLOps.Build.Trainer.Progress;

/// <summary>
/// Tells the build what a run is doing while it does it (<see cref="ProgressLine"/> on standard output, which the
/// build logs as low-importance MLOPS2016 messages), and times each stage for the closing summary.
/// </summary>
public sealed class TrainerProgress(string model, TextWriter output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, TimeSpan Time)> _stages = [];

    /// <summary>Reports nothing: for tests, benchmarks and in-process callers.</summary>
    public static TrainerProgress Silent => new("", TextWriter.Null);

    /// <summary>Time spent per stage so far, in order (a stage run twice appears twice).</summary>
    public IReadOnlyList<(string Stage, TimeSpan Time)> StageTimes => _stages;

    /// <summary>Reports a stage's start; disposing the result records how long it took.</summary>
    public IDisposable Stage(string stage, string message)
    {
        Report(stage, message);
        return new StageScope(this, stage, _clock.Elapsed);
    }

    public void Report(string stage, string message, int step = 0, int steps = 0)
    {
        output.WriteLine(new ProgressLine(model, stage, message, step, steps, _clock.Elapsed).ToString());
        output.Flush();
    }

    /// <summary>"read 1.2 s, train 8.1 s, …": where the time went.</summary>
    public string Summary() => string.Join(", ",
        _stages.GroupBy(s => s.Stage).Select(g => $"{g.Key} {g.Sum(s => s.Time.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)} s"));

    private sealed class StageScope(TrainerProgress progress, string stage, TimeSpan start) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                progress._stages.Add((stage, progress._clock.Elapsed - start));
            }
        }
    }
}

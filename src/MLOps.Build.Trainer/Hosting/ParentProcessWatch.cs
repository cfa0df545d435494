using System.Diagnostics;

namespace MLOps.Build.Trainer.Hosting;

/// <summary>
/// Ends the trainer when the build that started it is gone. A cancelled build kills the trainer through the task, but a
/// build killed outright (<c>kill -9</c>, a closed terminal, a CI job stopped) cannot: without this watch the trainer
/// would run on as an orphan until it had finished a whole sweep on every core. The parent is polled by process id
/// and start time, so a recycled id is not mistaken for it.
/// </summary>
internal static class ParentProcessWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Starts watching <paramref name="parentId"/>; calls <paramref name="parentGone"/> once when it has exited.</summary>
    public static void Start(int parentId, Action parentGone)
    {
        var started = StartTime(parentId);
        if (started is null)
        {
            parentGone();
            return;
        }
        var thread = new Thread(() =>
        {
            while (StartTime(parentId) == started)
            {
                Thread.Sleep(Interval);
            }
            parentGone();
        })
        {
            IsBackground = true,
            Name = "MLOps parent process watch",
        };
        thread.Start();
    }

    /// <summary>What the trainer does when its build is gone: it and its sweep workers stop at once.</summary>
    public static void StopEverything()
    {
        Console.Error.WriteLine("The build that started this trainer has exited; stopping (nothing half-written is kept).");
        using var self = Process.GetCurrentProcess();
        self.Kill(entireProcessTree: true);
    }

    /// <summary>The process's start time, or null when no such process runs (or it has exited and not been reaped).</summary>
    private static DateTime? StartTime(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using System.Text;
using MLOps.Build.Diagnostics;
using MLOps.Build.Progress;
using MLOps.Build.Protocol;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Train;

/// <summary>Output of the trainer, line by line, for the task to log.</summary>
public interface ITrainerOutput
{
    /// <summary>A line of standard output, for the log only: outcome and diagnostics come from the result file.</summary>
    void Line(string text);

    /// <summary>Standard error: details (stack traces) for the build log at low importance.</summary>
    void Detail(string text);

    void Diagnostic(MLOpsDiagnostic diagnostic);

    /// <summary>What a long run is doing now.</summary>
    void Progress(ProgressLine progress);
}

/// <summary>
/// Runs the trainer out of process: ML.NET and native libraries must not load into MSBuild, whose nodes
/// outlive the build. The outcome is the trainer's result file (<see cref="TrainerResult"/>), never its output; a crash,
/// a timeout, a missing result or a missing trainer becomes a coded diagnostic, never MSB6006.
/// </summary>
public static class TrainerRunner
{
    public static bool Run(TrainerLaunch launch, ITrainerOutput output, CancellationToken cancellation = default)
    {
        var resultPath = Path.Combine(Path.GetTempPath(), "mlops-trainer-result-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            return Run(launch with { ResultPath = resultPath }, resultPath, output, cancellation);
        }
        finally
        {
            TryDelete(resultPath);
        }
    }

    private static bool Run(TrainerLaunch launch, string resultPath, ITrainerOutput output, CancellationToken cancellation)
    {
        if (!File.Exists(launch.TrainerAssembly))
        {
            output.Diagnostic(new MLOpsDiagnostic(D.TrainerNotFound, FileLocation.File(launch.ManifestPath),
                $"The trainer '{launch.TrainerAssembly}' does not exist; the MLOps.Build package may be damaged (restore it again)."));
            return false;
        }

        var start = new ProcessStartInfo(launch.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
#if NET
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
#else
        // .NET Framework's MSBuild (Visual Studio) has no ArgumentList: quoted as CommandLineToArgvW reads it back.
        start.Arguments = Processes.WindowsCommandLine.Join(launch.Arguments);
#endif
        // The trainer targets net8.0; let it run on whatever newer runtime the SDK brings.
        start.Environment["DOTNET_ROLL_FORWARD"] = "Major";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var variable in launch.Environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        var lastErrorLines = new Queue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            if (ProgressLine.TryParse(e.Data) is { } progress)
            {
                output.Progress(progress);
                return;
            }
            output.Line(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (lastErrorLines)
            {
                lastErrorLines.Enqueue(e.Data);
                if (lastErrorLines.Count > 20)
                {
                    lastErrorLines.Dequeue();
                }
            }
            output.Detail(e.Data);
        };

        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            output.Diagnostic(new MLOpsDiagnostic(D.TrainerNotFound, FileLocation.File(launch.ManifestPath),
                $"Cannot start the trainer with '{launch.DotnetHost}': {ex.Message}"));
            return false;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using (cancellation.Register(() => Kill(process)))
        {
            if (!process.WaitForExit((int)Math.Min(int.MaxValue, launch.Timeout.TotalMilliseconds)))
            {
                Kill(process);
                process.WaitForExit();
                output.Diagnostic(new MLOpsDiagnostic(D.TrainerTimedOut, FileLocation.File(launch.ManifestPath),
                    launch.Command == "drift"
                        ? $"The drift check took longer than MLOpsTrainerTimeout ({launch.Timeout.TotalSeconds:0} s) and was stopped; raise the timeout or use a smaller drift.current file."
                        : $"Training took longer than MLOpsTrainerTimeout ({launch.Timeout.TotalSeconds:0} s) and was stopped; raise the timeout or simplify the model."));
                return false;
            }
            process.WaitForExit(); // drains the asynchronous output readers
        }

        if (cancellation.IsCancellationRequested)
        {
            return false;
        }
        var result = TrainerResult.Read(resultPath);
        foreach (var diagnostic in result?.Diagnostics ?? [])
        {
            output.Diagnostic(diagnostic);
        }
        if (result is { Succeeded: true, HasErrors: false } && process.ExitCode == 0)
        {
            return true;
        }
        if (result is null || !result.HasErrors)
        {
            string tail;
            lock (lastErrorLines)
            {
                tail = string.Join(" | ", lastErrorLines.Where(l => !string.IsNullOrWhiteSpace(l)).Take(3));
            }
            var what = result is null ? "without writing its result" : "without reporting an error";
            output.Diagnostic(new MLOpsDiagnostic(D.TrainerCrashed, FileLocation.File(launch.ManifestPath),
                $"The trainer stopped with exit code {process.ExitCode} {what}{(tail.Length > 0 ? ": " + tail : ".")} The build log has its full output."));
        }
        return false;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A result left in the temp folder holds no secret and is never read again.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
#if NET
                // A sweep's worker processes would otherwise finish the trial they are on after the build gave up.
                process.Kill(entireProcessTree: true);
#else
                process.Kill();
#endif
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

}

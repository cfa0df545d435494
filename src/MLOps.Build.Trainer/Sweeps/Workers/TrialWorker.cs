using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Trainer.Sweeps.Workers;

/// <summary>
/// A trainer process that cross-validates the configurations it is sent, one at a time (see
/// <see cref="TrialWorkerCommand"/>). Sweeps need processes, not threads: ML.NET lets one FastTree and one LightGbm
/// model train per process at a time (static locks in both trainers), so threads alone never run two tree trials at once.
/// </summary>
public sealed class TrialWorker : IDisposable
{
    /// <summary>Marks a result line: native libraries may write to standard output too.</summary>
    public const string ResultPrefix = "mlops-trial\t";

    /// <summary>The runtime's processor count override (thread pool size, spin-waiting, parallel cursors).</summary>
    internal const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";
    private const int KeptErrorCharacters = 4000;

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private TrialWorker(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                if (e.Data is not null && _errors.Length < KeptErrorCharacters)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>What the worker wrote to standard error, for the log when it fails.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString().Trim();
            }
        }
    }

    /// <summary>The worker's process id, while it runs.</summary>
    internal int ProcessId => _process.Id;

    /// <summary>
    /// Starts a worker on the same manifest with the host running this trainer; null when it cannot start. Its runtime
    /// is told that the machine has <paramref name="processors"/> processors (<c>DOTNET_PROCESSOR_COUNT</c>): its share
    /// of them (<see cref="TrialWorkerPool.WorkerProcessors"/>), not all of them.
    /// </summary>
    public static TrialWorker? TryStart(string manifestPath, int processors, out string? problem)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        var start = new ProcessStartInfo(HostPath())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment[ProcessorCountVariable] = processors.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add(typeof(TrialWorker).Assembly.Location);
        foreach (var argument in new Protocol.TrainerArguments(TrialWorkerCommand.Name, manifestPath).Format())
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            problem = null;
            return new TrialWorker(Process.Start(start)!);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>The worker's record of the trial; null when the worker has died (the caller evaluates it instead).</summary>
    public TrialRecord? Evaluate(TrialConfig config, string fingerprint)
    {
        try
        {
            _process.StandardInput.WriteLine(TrialRequest.From(config, fingerprint).ToLine());
            _process.StandardInput.Flush();
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                {
                    var record = ArtifactJson.ParseLine(line.Substring(ResultPrefix.Length), ArtifactJson.TrialRecord);
                    return record.Fingerprint == fingerprint && record.Index == config.Index ? record : null;
                }
            }
            // Its output ended: let it finish, and its standard error be read to the end, so that Errors says why.
            if (_process.WaitForExit(2000))
            {
                _process.WaitForExit();
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Closing its input ends the worker; one that does not end soon is killed.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        _process.Dispose();
    }

    /// <summary>
    /// The dotnet host: the one running this process when it is dotnet (the build launches the trainer so, and test
    /// hosts run so), else the one the SDK names in DOTNET_HOST_PATH, else dotnet from PATH.
    /// </summary>
    private static string HostPath()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}

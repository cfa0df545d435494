using System.Diagnostics;
using System.Text;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

public sealed record ProcessResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

public static class DotNet
{
    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var running = Start(workingDirectory, environment, arguments);
        return running.Wait(TimeSpan.FromMinutes(10));
    }

    /// <summary>Another program (an installed .NET tool) in the same clean environment as <c>dotnet</c>.</summary>
    public static ProcessResult RunProgram(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var running = Start(program, workingDirectory, environment, arguments);
        return running.Wait(TimeSpan.FromMinutes(10));
    }

    public static RunningProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Start("dotnet", workingDirectory, environment, arguments);

    private static RunningProcess Start(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Child builds must not inherit the test host's MSBuild settings, nor its CI mode (tests choose it).
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "VSTEST_HOST_DEBUG", "CI", "ContinuousIntegrationBuild", "GITHUB_ACTIONS", "TF_BUILD" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        var process = new Process { StartInfo = start };
        var running = new RunningProcess(process, string.Join(' ', arguments));
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }
}

public sealed class RunningProcess(Process process, string description) : IDisposable
{
    private readonly StringBuilder _output = new();

    internal void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public ProcessResult Wait(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {description} did not finish in {timeout}:\n{_output}");
        }
        process.WaitForExit();
        lock (_output)
        {
            return new ProcessResult(process.ExitCode, _output.ToString());
        }
    }

    /// <summary>What it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Asks a service to shut down (SIGTERM, as an orchestrator does) and waits for it; false when it did not end in time.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        return process.WaitForExit(timeout);
    }

    /// <summary>Ends a process that runs until stopped (a service), with everything it started.</summary>
    public void Stop()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }
}

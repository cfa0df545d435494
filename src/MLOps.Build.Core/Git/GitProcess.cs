using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MLOps.Build.Git;

/// <summary>Runs git (from the PATH) for what cannot be read from the .git folder alone: history.</summary>
public static class GitProcess
{
    /// <summary>How long one git command may take before it is stopped (a build never waits on a hung git).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>git's exit code and standard output (UTF-8), or null when git cannot be started or timed out.</summary>
    public static (int ExitCode, string Output)? Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", Processes.WindowsCommandLine.Join(arguments))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // Never a pager, a prompt for credentials, or the user's locale in what is parsed.
        start.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
        start.EnvironmentVariables["GIT_PAGER"] = "cat";
        start.EnvironmentVariables["LC_ALL"] = "C";
        try
        {
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEndAsync();
            var errors = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit((int)Timeout.TotalMilliseconds))
            {
                try
                {
                    git.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }
                return null;
            }
            git.WaitForExit();
            _ = errors.Result;
            return (git.ExitCode, output.Result);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}

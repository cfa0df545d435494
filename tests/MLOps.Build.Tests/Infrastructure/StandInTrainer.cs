namespace MLOps.Build.Tests.Infrastructure;

/// <summary>
/// A POSIX shell script run in place of the trainer: it gets the trainer's arguments, finds the result file the build
/// asked for in <c>$result</c>, and can call <c>succeed</c> or <c>report '&lt;json diagnostics&gt;'</c> to write it as the
/// real trainer does. Tasks start <see cref="Launcher"/> as their <c>dotnet</c> with the script as the trainer
/// assembly; the launcher, written once per test run, has <c>/bin/sh</c> read the script. A script written by a test
/// and executed at once could fail with "Text file busy" whenever a parallel test forks while the file is still open.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class StandInTrainer
{
    private const string Preamble =
        "result=; previous=; for argument in \"$@\"; do [ \"$previous\" = --result ] && result=\"$argument\"; previous=\"$argument\"; done\n" +
        "succeed() { printf '{\"protocol\":1,\"succeeded\":true,\"diagnostics\":[]}' > \"$result\"; }\n" +
        "report() { printf '{\"protocol\":1,\"succeeded\":false,\"diagnostics\":[%s]}' \"$1\" > \"$result\"; }\n";

    private static readonly Lazy<string> LauncherPath = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("mlops-stand-in-");
        var path = Path.Combine(folder.FullName, "dotnet.sh");
        // $1 is "exec", $2 the stand-in script (passed as the trainer assembly); the trainer's arguments follow.
        File.WriteAllText(path, "#!/bin/sh\nshift\nscript=$1\nshift\nexec /bin/sh \"$script\" \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    });

    /// <summary>The <c>dotnet</c> the tasks start: it runs the trainer assembly they name as a shell script.</summary>
    public static string Launcher => LauncherPath.Value;

    /// <summary>Writes the script at <paramref name="relativePath"/> and returns its path, to pass as the trainer assembly.</summary>
    public static string Write(TempRepository repository, string body, string relativePath = "stand-in-trainer.sh") =>
        repository.Write(relativePath, Preamble + body + "\n");
}

namespace MLOps.Build.Tests.Infrastructure;

/// <summary>
/// A POSIX shell script launched in place of <c>dotnet</c>: it gets the trainer's arguments, finds the result file
/// the build asked for in <c>$result</c>, and can call <c>succeed</c> or <c>report '&lt;json diagnostics&gt;'</c> to
/// write it as the real trainer does.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class StandInTrainer
{
    private const string Preamble =
        "#!/bin/sh\n" +
        "result=; previous=; for argument in \"$@\"; do [ \"$previous\" = --result ] && result=\"$argument\"; previous=\"$argument\"; done\n" +
        "succeed() { printf '{\"protocol\":1,\"succeeded\":true,\"diagnostics\":[]}' > \"$result\"; }\n" +
        "report() { printf '{\"protocol\":1,\"succeeded\":false,\"diagnostics\":[%s]}' \"$1\" > \"$result\"; }\n";

    /// <summary>Writes the script at <paramref name="relativePath"/>, executable, and returns its path.</summary>
    public static string Write(TempRepository repository, string body, string relativePath = "fake-dotnet.sh")
    {
        var path = repository.Write(relativePath, Preamble + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}

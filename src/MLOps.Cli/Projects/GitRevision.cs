using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using MLOps.Build.Artifacts;

namespace MLOps.Cli.Projects;

/// <summary>Lock files as committed at a git revision, for <c>dotnet mlops diff REV</c>.</summary>
public static class GitRevision
{
    /// <summary>
    /// The lock file at <paramref name="revision"/>; null when the revision has no such file (the model was not
    /// accepted then), or when <paramref name="problem"/> is set. <paramref name="problem"/> says why nothing can be compared: git is missing, the
    /// project is not in a git repository, or the revision does not exist. Those are errors, never "every metric new".
    /// </summary>
    public static ModelLock? LockAt(string repositoryRoot, string lockPath, string revision, out string? problem)
    {
        problem = null;
        var inside = Git(repositoryRoot, out _, "rev-parse", "--is-inside-work-tree");
        if (inside is null)
        {
            problem = "git is not installed (or not on the PATH), so no revision can be read; run 'dotnet mlops diff' to compare with the lock files in the working tree.";
            return null;
        }
        if (inside != 0)
        {
            problem = $"'{repositoryRoot}' is not in a git repository, so there is no revision '{revision}' to compare with; run 'dotnet mlops diff' to compare with the lock files in the working tree.";
            return null;
        }
        if (Git(repositoryRoot, out _, "rev-parse", "--verify", "--quiet", revision + "^{commit}") != 0)
        {
            problem = $"'{revision}' is not a revision of the git repository at '{repositoryRoot}' (a commit, branch or tag, such as HEAD~1 or main).";
            return null;
        }
        var relative = Path.GetRelativePath(repositoryRoot, lockPath).Replace('\\', '/');
        if (Git(repositoryRoot, out var text, "show", $"{revision}:{relative}") != 0)
        {
            return null; // the model was not accepted at that revision
        }
        return JsonSerializer.Deserialize(text, ArtifactJson.ModelLock);
    }

    /// <summary>Runs git; its exit code, or null when git cannot be started.</summary>
    private static int? Git(string workingDirectory, out string output, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var git = Process.Start(start)!;
            var stdout = git.StandardOutput.ReadToEndAsync();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            output = stdout.Result;
            return git.ExitCode;
        }
        catch (Win32Exception)
        {
            output = "";
            return null;
        }
    }
}

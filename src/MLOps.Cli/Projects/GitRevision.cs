using MLOps.Build.Artifacts;
using MLOps.Build.Git;
using MLOps.Build.Paths;

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
        var inside = GitProcess.Run(repositoryRoot, "rev-parse", "--is-inside-work-tree");
        if (inside is null)
        {
            problem = "git is not installed (or not on the PATH), so no revision can be read; run 'dotnet mlops diff' to compare with the lock files in the working tree.";
            return null;
        }
        if (inside.Value.ExitCode != 0)
        {
            problem = $"'{repositoryRoot}' is not in a git repository, so there is no revision '{revision}' to compare with; run 'dotnet mlops diff' to compare with the lock files in the working tree.";
            return null;
        }
        if (GitProcess.Run(repositoryRoot, "rev-parse", "--verify", "--quiet", revision + "^{commit}") is not { ExitCode: 0 })
        {
            problem = $"'{revision}' is not a revision of the git repository at '{repositoryRoot}' (a commit, branch or tag, such as HEAD~1 or main).";
            return null;
        }
        var text = LockHistory.At(repositoryRoot, revision, RepositoryPaths.Relative(repositoryRoot, lockPath));
        return text is null ? null : LockHistory.Parse(text); // null: not accepted at that revision
    }
}

using MLOps.Build.Diagnostics;
using MLOps.Build.Tasks.Logging;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks;

/// <summary>
/// The base of every MLOps.Build task: whatever goes wrong becomes a coded diagnostic, never MSBuild's MSB4018 with a
/// stack trace. A file or folder that cannot be read or written (a read-only <c>obj/mlops</c>, a full disk) is
/// MLOPS2037 naming it; anything else is MLOPS2038 with the exception's message, and its stack trace only at
/// diagnostic verbosity.
/// </summary>
public abstract class MLOpsTask : Microsoft.Build.Utilities.Task
{
    public sealed override bool Execute()
    {
        try
        {
            return ExecuteCore() && !Log.HasLoggedErrors;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Log(new MLOpsDiagnostic(D.BuildFileNotWritable, Where,
                $"{GetType().Name} could not read or write a build file: {ex.Message} Make the folder writable (check its permissions, owner and free space) and build again."));
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, ex.ToString());
            return false;
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException or ThreadAbortException))
        {
            Log.Log(new MLOpsDiagnostic(D.TaskFailedUnexpectedly, Where,
                $"{GetType().Name} failed unexpectedly ({ex.GetType().Name}: {ex.Message}). Nothing it was writing was kept; please report this with the output of 'dotnet build -v:diag'."));
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, ex.ToString());
            return false;
        }
    }

    /// <summary>The task's work; returns false (or logs an error) when it failed.</summary>
    protected abstract bool ExecuteCore();

    /// <summary>The project file, where a failure that belongs to no manifest line is reported.</summary>
    private FileLocation Where => FileLocation.File(BuildEngine?.ProjectFileOfTaskNode ?? "");
}

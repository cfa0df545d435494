using Microsoft.Build.Framework;
using MLOps.Build.Tasks.Report;

namespace MLOps.Build.Tasks;

/// <summary>
/// Writes the project's HTML report (<c>obj/mlops/report.html</c>) from its models' artifacts: the model card, the
/// accepted lock, the drift report and the sweep. Only when its bytes change; a model without a card yet is left out.
/// </summary>
public sealed class WriteReport : MLOpsTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    [Required] public string ProjectName { get; set; } = "";

    [Required] public string ReportPath { get; set; } = "";

    /// <summary>Where the run histories are (<c>MLOpsRunsDir</c>); empty: the report shows none.</summary>
    public string? RunsDirectory { get; set; }

    protected override bool ExecuteCore()
    {
        ReportFile.Write(ProjectName, ReportPath, Models.Select(m => new ReportSource(
            m.GetMetadata(ModelItemMetadata.ModelCardPath), m.GetMetadata(ModelItemMetadata.LockPath), m.GetMetadata(ModelItemMetadata.DriftReportPath),
            Path.Combine(m.GetMetadata(ModelItemMetadata.ArtifactsDirectory), MLOps.Build.IO.ArtifactNames.SweepReport), m.ItemSpec)
        {
            RunHistoryPath = string.IsNullOrWhiteSpace(RunsDirectory) ? null
                : MLOps.Build.Artifacts.RunHistory.PathFor(RunsDirectory!, m.GetMetadata(ModelItemMetadata.RepositoryRoot), m.GetMetadata(ModelItemMetadata.ModelName)),
        }).ToArray(), Log);
        return !Log.HasLoggedErrors;
    }
}

using Microsoft.Build.Framework;
using MLOps.Build.Tasks.Provenance;

namespace MLOps.Build.Tasks;

/// <summary>Writes each trained model's provenance statement (<c>provenance.json</c>), embedded beside the model.</summary>
public sealed class WriteProvenance : MLOpsTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    protected override bool ExecuteCore()
    {
        foreach (var model in Models)
        {
            ProvenanceWriter.Write(model.ItemSpec, model.GetMetadata("ArtifactsDirectory"), model.GetMetadata("RepositoryRoot"), model.GetMetadata("ProvenancePath"));
        }
        return !Log.HasLoggedErrors;
    }
}

using Microsoft.Build.Framework;
using MLOps.Build.IO;
using MLOps.Build.Provenance;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Provenance;

namespace MLOps.Build.Tasks;

/// <summary>
/// Writes each trained model's provenance statement (<c>provenance.json</c>, embedded beside the model) and the
/// project's ML bill of materials (CycloneDX), each only when its bytes change.
/// </summary>
public sealed class WriteProvenance : MLOpsTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    /// <summary>Where the project's CycloneDX ML BOM goes; empty: none.</summary>
    public string? BomPath { get; set; }

    public string ProjectName { get; set; } = "";

    public string? ProjectVersion { get; set; }

    /// <summary>The MLOps.Runtime version the project references; empty: this MLOps.Build's (they ship together).</summary>
    public string? RuntimeVersion { get; set; }

    /// <summary>The environment variable holding the provenance signing key (ECDSA P-256, PEM); unset or empty: unsigned.</summary>
    public string SigningKeyVariable { get; set; } = ProvenanceSigning.DefaultKeyVariable;

    /// <summary>Where the inputs of the last clean run are stamped (<see cref="ProvenanceInputs"/>); empty: always write.</summary>
    public string? InputStampPath { get; set; }

    protected override bool ExecuteCore()
    {
        var diagnostics = new Diagnostics.DiagnosticBag();
        var key = string.IsNullOrWhiteSpace(SigningKeyVariable) ? null : Environment.GetEnvironmentVariable(SigningKeyVariable);
        key = string.IsNullOrWhiteSpace(key) ? null : key;
        string? Inputs() => string.IsNullOrWhiteSpace(InputStampPath)
            ? null
            : ProvenanceInputs.Describe(Models, $"{ProjectName}|{ProjectVersion}|{RuntimeVersion}|{SigningKeyVariable}|{ToolPackage.Package}", key, BomPath);
        var inputs = Inputs();
        if (inputs is not null && File.Exists(InputStampPath) && File.ReadAllText(InputStampPath) == inputs)
        {
            return true;
        }
        var signer = new ProvenanceSigner(key, SigningKeyVariable, diagnostics);
        var statements = new List<ProvenanceStatement>();
        foreach (var model in Models.OrderBy(m => m.GetMetadata(ModelItemMetadata.ModelName), StringComparer.Ordinal))
        {
            if (ProvenanceWriter.Build(model.ItemSpec, model.GetMetadata(ModelItemMetadata.ArtifactsDirectory), model.GetMetadata(ModelItemMetadata.RepositoryRoot)) is { } statement)
            {
                Artifacts.ArtifactJson.WriteIfChanged(model.GetMetadata(ModelItemMetadata.ProvenancePath), statement, Artifacts.ArtifactJson.Provenance);
                signer.Sign(statement, model.GetMetadata(ModelItemMetadata.SignedProvenancePath), Diagnostics.FileLocation.File(model.ItemSpec));
                statements.Add(statement);
            }
        }
        if (!string.IsNullOrWhiteSpace(BomPath) && statements.Count > 0)
        {
            var tool = ToolPackage.Package;
            var bom = MachineLearningBom.Write(ProjectName, string.IsNullOrWhiteSpace(ProjectVersion) ? "0.0.0" : ProjectVersion!, tool,
                string.IsNullOrWhiteSpace(RuntimeVersion) ? tool : RuntimeVersion!, statements);
            AtomicFile.WriteIfChanged(BomPath!, bom);
        }
        Log.Log(diagnostics);
        if (inputs is not null && diagnostics.Items.Count == 0)
        {
            // Stamped last, the files as they are now (the outputs just written included): only a clean run is skipped
            // next time (a signing warning is repeated every build, as the validation stamp does).
            AtomicFile.WriteAllBytes(InputStampPath!, System.Text.Encoding.UTF8.GetBytes(Inputs()!));
        }
        return !Log.HasLoggedErrors;
    }
}

using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Validate;

namespace MLOps.Build.Tasks;

/// <summary>Enforces each model's quality gates and its accepted-model lock file.</summary>
public sealed class ValidateModels : MLOpsTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    /// <summary>Accept the models built now into their lock files (-p:MLOpsUpdateLock=true).</summary>
    public bool UpdateLock { get; set; }

    /// <summary>A CI build (ContinuousIntegrationBuild or CI=true): never accepts a model, fails on an unaccepted one.</summary>
    public bool ContinuousIntegration { get; set; }

    /// <summary>
    /// Written into a model's artifacts folder when it validated without a warning or an error, so that the target
    /// can skip it until an input changes; removed otherwise. Empty: no stamps.
    /// </summary>
    public string? StampFileName { get; set; }

    protected override bool ExecuteCore()
    {
        var diagnostics = new DiagnosticBag();
        var settings = new ValidationSettings(UpdateLock, ContinuousIntegration)
        {
            StepSummaryPath = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"),
        };
        var validator = new ModelValidator(settings, diagnostics);
        foreach (var model in Models)
        {
            var directory = model.GetMetadata(ModelItemMetadata.ArtifactsDirectory);
            var fingerprint = model.GetMetadata(ModelItemMetadata.Fingerprint);
            // Models that did not train have already been reported.
            if (!IO.ModelArtifacts.AreCurrent(directory, fingerprint))
            {
                continue;
            }
            var before = diagnostics.Items.Count;
            var manifest = ManifestParser.ParseFile(model.ItemSpec, diagnostics);
            if (manifest is not null)
            {
                validator.Validate(manifest, directory, fingerprint);
            }
            var clean = diagnostics.Items.Skip(before).All(d => d.Severity == DiagnosticLevel.Info);
            ValidationStamp(directory, clean);
        }
        Log.Log(diagnostics);
        return !Log.HasLoggedErrors;
    }

    private void ValidationStamp(string directory, bool clean)
    {
        if (string.IsNullOrEmpty(StampFileName))
        {
            return;
        }
        var stamp = Path.Combine(directory, StampFileName);
        if (clean)
        {
            File.WriteAllText(stamp, "");
            File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow);
        }
        else if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }
    }
}

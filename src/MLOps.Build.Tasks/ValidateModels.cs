using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Validate;

namespace MLOps.Build.Tasks;

/// <summary>Enforces each model's quality gates against its test metrics.</summary>
public sealed class ValidateModels : Microsoft.Build.Utilities.Task
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    public override bool Execute()
    {
        var diagnostics = new DiagnosticBag();
        foreach (var model in Models)
        {
            var metricsPath = model.GetMetadata("MetricsPath");
            if (!File.Exists(metricsPath))
            {
                // Not trained (the train step already reported why).
                continue;
            }
            var manifest = ManifestParser.ParseFile(model.ItemSpec, diagnostics);
            if (manifest is not null)
            {
                GateEvaluator.Evaluate(manifest, metricsPath, diagnostics);
            }
        }
        Log.Log(diagnostics);
        return !Log.HasLoggedErrors;
    }
}

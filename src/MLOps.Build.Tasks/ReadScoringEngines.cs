using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Artifacts;
using K = MLOps.Shared.ModelCardKeys.ScoringEngine;

namespace MLOps.Build.Tasks;

/// <summary>
/// Each model with the engine its generated class scores with, read from its card by the card's own type (not by a
/// pattern over its text): <c>%(ScoringEngine)</c> is <c>compiled</c> or <c>onnxruntime</c>, with <c>%(ScoringReason)</c>
/// saying why ONNX Runtime; empty when there is no readable card. A card written before compiled scoring reads as
/// ONNX Runtime, as the generator reads it.
/// </summary>
public sealed class ReadScoringEngines : MLOpsTask
{
    [Required] public ITaskItem[] Models { get; set; } = [];

    [Output] public ITaskItem[] ScoredModels { get; private set; } = [];

    protected override bool ExecuteCore()
    {
        ScoredModels = Models.Select(model =>
        {
            var item = new TaskItem(model);
            var (engine, reason) = Read(model.GetMetadata(ModelItemMetadata.ModelCardPath));
            item.SetLiteral(ModelItemMetadata.ScoringEngine, engine);
            item.SetLiteral(ModelItemMetadata.ScoringReason, reason);
            return (ITaskItem)item;
        }).ToArray();
        return true;
    }

    internal static (string Engine, string Reason) Read(string cardPath)
    {
        if (string.IsNullOrEmpty(cardPath) || !File.Exists(cardPath))
        {
            return ("", "the model has no model card");
        }
        try
        {
            var scoring = ArtifactJson.Read(cardPath, ArtifactJson.ModelCard).Scoring;
            return scoring is null
                ? (K.OnnxRuntime, "the model card predates compiled scoring")
                : (scoring.Engine, scoring.Reason ?? "");
        }
        catch (System.Text.Json.JsonException ex)
        {
            return ("", "the model card cannot be read: " + ex.Message);
        }
    }
}

using Microsoft.ML;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Export;

public static class OnnxExporter
{
    /// <summary>The graph outputs a generated class reads, per task (non-calibrated binary models have no Probability).</summary>
    public static (string Name, string OnnxName)[] ScoringOutputs(ModelTask task) => task switch
    {
        ModelTask.Multiclass => [("PredictedLabel", "PredictedLabel.output"), ("Score", "Score.output")],
        ModelTask.Binary => [("PredictedLabel", "PredictedLabel.output"), ("Score", "Score.output"), ("Probability", "Probability.output")],
        _ => [("Score", "Score.output")],
    };

    /// <summary>The model as it ships: feature inputs only, and only the outputs an app reads.</summary>
    public static byte[] ExportForScoring(MLContext ml, ITransformer model, TrainingTable schemaSource, ModelTask task) =>
        OnnxGraphPruner.KeepOutputs(Export(ml, model, schemaSource), ScoringOutputs(task).Select(o => o.OnnxName).ToArray());

    /// <summary>Exports over a schema of feature columns only, so the graph takes no label input.</summary>
    public static byte[] Export(MLContext ml, ITransformer model, TrainingTable schemaSource)
    {
        var features = new InMemoryDataView(schemaSource, includeLabel: false);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, features, stream);
        return stream.ToArray();
    }
}

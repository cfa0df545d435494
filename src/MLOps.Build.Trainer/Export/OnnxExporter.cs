using Microsoft.ML;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Export;

public static class OnnxExporter
{
    /// <summary>Exports over a schema of feature columns only, so the graph takes no label input.</summary>
    public static byte[] Export(MLContext ml, ITransformer model, TrainingTable schemaSource)
    {
        var features = new InMemoryDataView(schemaSource, includeLabel: false);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, features, stream);
        return stream.ToArray();
    }
}

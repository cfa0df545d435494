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

    /// <summary>
    /// The model as it ships: feature inputs only, only the outputs an app reads, one-versus-all tree ensembles fused
    /// into one node and do-nothing nodes removed, when the rewritten graph scores the training rows (up to
    /// <see cref="ParityRows.AllRowsUpTo"/>, else a seeded sample, plus edge rows) as the original does; else the
    /// original ships.
    /// </summary>
    public static byte[] ExportForScoring(MLContext ml, ITransformer model, TrainingTable train, ModelTask task, int seed)
    {
        var unfused = ExportUnfused(ml, model, train, task);
        var fused = OnnxTreeEnsembleFuser.Fuse(unfused) ?? unfused;
        var simplified = OnnxGraphSimplifier.Simplify(fused) ?? fused;
        if (ReferenceEquals(simplified, unfused))
        {
            return unfused;
        }
        simplified = OnnxGraphPruner.KeepOutputs(simplified, ScoringOutputs(task).Select(o => o.OnnxName).ToArray());
        return ScoresAlike(unfused, simplified, ParityRows.For(train, seed).Rows, task) ? simplified : unfused;
    }

    /// <summary>
    /// Loads an exported graph the way an app will, so that a graph ONNX Runtime rejects is an export failure at
    /// build time (with ONNX Runtime's reason), not a crash in the app.
    /// </summary>
    public static OnnxScoring Load(byte[] onnx)
    {
        try
        {
            return new OnnxScoring(onnx);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
        {
            // ONNX Runtime's message ends with its reason after a long C++ template signature ("… >]").
            var message = ex.Message;
            var signatureEnd = message.LastIndexOf(">]", StringComparison.Ordinal);
            var reason = (signatureEnd >= 0 ? message.Substring(signatureEnd + 2) : message).Trim();
            throw new InvalidOperationException($"ONNX Runtime rejects the exported graph: {reason}", ex);
        }
    }

    /// <summary>The pruned graph as ML.NET exports it.</summary>
    public static byte[] ExportUnfused(MLContext ml, ITransformer model, TrainingTable schemaSource, ModelTask task)
    {
        var pruned = OnnxGraphPruner.KeepOutputs(Export(ml, model, schemaSource), ScoringOutputs(task).Select(o => o.OnnxName).ToArray());
        // ML.NET writes the token counts of the one schema row into the text subgraph's shape hints; ONNX Runtime then
        // refuses any other text ("Shape mismatch attempting to re-use buffer"). Without the hints it infers shapes itself.
        // Not reproduced by the tests with ML.NET 5.0.1 or 6.0.0 (UpstreamWorkaroundTests); kept, as it costs nothing.
        return OnnxScoring.ScoresOneRowAtATime(schemaSource)
            ? Onnx.OnnxModels.RewriteGraph(pruned, graph => { graph.ValueInfo.Clear(); return true; }) ?? pruned
            : pruned;
    }

    /// <summary>Same labels and scores within float rounding on every row: a rewrite that changes a prediction is discarded.</summary>
    private static bool ScoresAlike(byte[] expected, byte[] actual, TrainingTable rows, ModelTask task)
    {
        using var before = Load(expected);
        using var after = Load(actual);
        // Non-calibrated binary models have no Probability output.
        var outputs = ScoringOutputs(task).Select(o => o.OnnxName).Where(before.Outputs.ContainsKey).ToArray();
        if (!outputs.All(after.Outputs.ContainsKey))
        {
            return false;
        }
        var a = before.Run(rows, outputs);
        var b = after.Run(rows, outputs);
        foreach (var name in outputs)
        {
            switch (a[name], b[name])
            {
                case (float[] x, float[] y) when x.Length == y.Length && x.Zip(y).All(p => Math.Abs(p.First - p.Second) <= 1e-5f):
                    continue;
                case (float[], _) or (_, float[]):
                    return false;
                case (Array x, Array y) when x.Cast<object>().SequenceEqual(y.Cast<object>()):
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>Exports over a schema of feature columns only, so the graph takes no label input.</summary>
    public static byte[] Export(MLContext ml, ITransformer model, TrainingTable schemaSource)
    {
        // Only the schema matters to the converter: one row stands for any number of them.
        var features = new InMemoryDataView(schemaSource.Select([0]), includeLabel: false);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, features, stream);
        return stream.ToArray();
    }
}

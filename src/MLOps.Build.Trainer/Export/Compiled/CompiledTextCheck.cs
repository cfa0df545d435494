using Microsoft.ML;
using MLOps.Build.Artifacts;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;
using MLOps.Runtime.Compiled;

namespace MLOps.Build.Trainer.Export.Compiled;

/// <summary>
/// The compiled scorer of a model with text features against ML.NET itself, not only against ONNX Runtime (which
/// counts some characters differently, <see cref="OnnxRuntimeText"/>): on the parity rows (test rows and edge rows)
/// and on the first of them with each text feature replaced by each of <see cref="SyntheticTexts.All"/>.
/// </summary>
public static class CompiledTextCheck
{
    public static ScorerAgreementCard Run(byte[] onnx, ModelTask task, ITransformer scoringModel, TrainingTable parityRows)
    {
        var compiled = CompiledModel.Compile(onnx);
        var synthetic = ParityRows.WithSyntheticTexts(parityRows);
        var data = Compare(compiled, task, scoringModel, parityRows);
        var texts = Compare(compiled, task, scoringModel, synthetic);
        return new ScorerAgreementCard(
            Math.Max(data.MaxAbsoluteDifference, texts.MaxAbsoluteDifference),
            ((data.LabelAgreement * data.Rows) + (texts.LabelAgreement * texts.Rows)) / Math.Max(1, data.Rows + texts.Rows),
            data.Rows + texts.Rows,
            texts.Rows);
    }

    private static ParityResult Compare(CompiledModel compiled, ModelTask task, ITransformer scoringModel, TrainingTable rows)
    {
        if (rows.RowCount == 0)
        {
            return new ParityResult(0, 1, 0);
        }
        var mlnet = scoringModel.Transform(new InMemoryDataView(rows, includeLabel: false));
        var feeds = OnnxFeeds.From(rows);
        var wanted = compiled.Outputs.Where(o => ParityChecker.Outputs.Contains(o.Name)).Select(o => o.Name).ToHashSet();
        var outputs = compiled.Run(feeds.Values, feeds.Rows).Where(o => wanted.Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value);
        return ParityChecker.Check(task, mlnet, outputs, rows.RowCount);
    }
}

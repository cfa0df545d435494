using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;

namespace MLOps.Build.Trainer.Export;

/// <summary>
/// Where ONNX Runtime, scoring ML.NET's exported text featurization, counts characters differently from ML.NET
/// (UpstreamWorkaroundTests has the proof): at any UTF-16 surrogate (an emoji, a rare CJK ideograph, a lone
/// surrogate) and at U+FFFD. The compiled scorer follows ML.NET there; ONNX Runtime is compared with ML.NET only on
/// the other rows, and its differences on these are reported (MLOPS2040) instead of failing the build when the app
/// scores compiled.
/// </summary>
public static class OnnxRuntimeText
{
    public static bool Miscounts(string? text) =>
        text is not null && (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 || text.Contains('\uFFFD', StringComparison.Ordinal));

    /// <summary>The rows of <paramref name="table"/> with such a character in a text feature, as the model receives it.</summary>
    public static int[] RowsItMiscounts(TrainingTable table)
    {
        var texts = table.Features.Where(f => f.Kind == ColumnKind.Text).ToArray();
        return texts.Length == 0
            ? []
            : Enumerable.Range(0, table.RowCount).Where(row => texts.Any(f => Miscounts(f.Preprocessing.Text(f.Categories![row])))).ToArray();
    }
}

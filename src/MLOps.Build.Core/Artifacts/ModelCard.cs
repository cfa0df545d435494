using System.Text.Json.Serialization;
using MLOps.Shared;
using K = MLOps.Shared.ModelCardKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>modelcard.json</c>: what the build knows about a trained or imported model, and the contract between the
/// build and the compiler (the generator and analyzers read it through <see cref="ModelCardKeys"/>). Written by the
/// trainer, read by the tasks and the trainer through this type. Bump <see cref="CurrentSchemaVersion"/> on any
/// change a reader could trip over.
/// </summary>
public sealed record ModelCard(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Name)] string Name,
    [property: JsonPropertyName(K.Version)] string Version,
    [property: JsonPropertyName(K.Task)] string Task,
    [property: JsonPropertyName(K.Label)] string? Label,
    [property: JsonPropertyName(K.PositiveClass)] string? PositiveClass,
    [property: JsonPropertyName(K.Classes)] IReadOnlyList<string> Classes,
    [property: JsonPropertyName(K.Inputs)] IReadOnlyList<InputCard> Inputs,
    [property: JsonPropertyName(K.Outputs)] IReadOnlyList<OutputCard> Outputs,
    [property: JsonPropertyName(K.Onnx)] OnnxCard Onnx,
    [property: JsonPropertyName(K.Data)] DataCard? Data,
    [property: JsonPropertyName(K.Trainer)] TrainerCard? Trainer,
    [property: JsonPropertyName(K.Metrics)] IReadOnlyDictionary<string, double> Metrics,
    [property: JsonPropertyName(K.Evaluation)] ClassEvaluationCard? Evaluation,
    [property: JsonPropertyName(K.CrossValidation)] CrossValidationCard? CrossValidation,
    [property: JsonPropertyName(K.FeatureImportance)] IReadOnlyList<FeatureImportanceCard>? FeatureImportance,
    [property: JsonPropertyName(K.Parity)] ParityCard? Parity,
    [property: JsonPropertyName(K.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.Tool)] ToolCard Tool)
{
    /// <summary>The rows <see cref="FeatureImportance"/> was measured on; null when it was not.</summary>
    [JsonPropertyName(K.FeatureImportanceSample)]
    public ImportanceSampleCard? FeatureImportanceSample { get; init; }

    /// <summary>
    /// The parts of <see cref="Fingerprint"/> (<see cref="Fingerprints.ModelFingerprint.Parts"/>): the settings, data
    /// hashes and tool version the model was trained from, so a later build can say what changed. Null when the
    /// trainer ran outside a build.
    /// </summary>
    [JsonPropertyName(K.InputsTrainedFrom)]
    public IReadOnlyDictionary<string, string>? InputsTrainedFrom { get; init; }

    /// <summary>The test set's curves for the report; null for imported models.</summary>
    [JsonPropertyName(K.Curves)]
    public CurvesCard? Curves { get; init; }

    /// <summary>Compiled scoring or ONNX Runtime, and why; null in cards written before compiled scoring (read as ONNX Runtime).</summary>
    [JsonPropertyName(K.Scoring)]
    public ScoringCard? Scoring { get; init; }

    /// <summary>How a sweep chose <see cref="Trainer"/>; null for a hand-set trainer.</summary>
    [JsonPropertyName(K.Sweep)]
    public SweepSummaryCard? Sweep { get; init; }

    /// <summary>A classifier's calibration on the test set, which decides whether its accuracy may be estimated without labels; null for other models.</summary>
    [JsonPropertyName(K.Calibration)]
    public CalibrationCard? Calibration { get; init; }

    public const int CurrentSchemaVersion = K.CurrentSchemaVersion;

    /// <summary>The task name of an imported model whose manifest names none.</summary>
    public const string ImportedTask = "onnx";
}

/// <param name="Metric">The metric an estimate stands for (<see cref="ClassifierConfidence"/>).</param>
/// <param name="Error">The model's own expected calibration error over <paramref name="Bins"/> bins (<see cref="ClassifierConfidence.CalibrationError"/>).</param>
/// <param name="MeanConfidence">The test rows' mean confidence, before calibration.</param>
/// <param name="Accuracy">What the test set's labels give (the metric's test value, as ONNX Runtime scores it).</param>
/// <param name="CalibratedError">The error the calibrated confidence keeps, cross-fitted on the test set (<see cref="ClassifierConfidence.CrossFittedCalibrationError"/>).</param>
/// <param name="BinRows">Test rows per bin of confidence: with <paramref name="BinCorrect"/>, the calibration (<see cref="ClassifierConfidence.Calibrated"/>).</param>
/// <param name="BinCorrect">Test rows per bin whose prediction was right.</param>
public sealed record CalibrationCard(
    [property: JsonPropertyName(K.CalibrationKeys.Metric)] string Metric,
    [property: JsonPropertyName(K.CalibrationKeys.Error)] double Error,
    [property: JsonPropertyName(K.CalibrationKeys.MeanConfidence)] double MeanConfidence,
    [property: JsonPropertyName(K.CalibrationKeys.Accuracy)] double Accuracy,
    [property: JsonPropertyName(K.CalibrationKeys.Rows)] long Rows,
    [property: JsonPropertyName(K.CalibrationKeys.Bins)] int Bins,
    [property: JsonPropertyName(K.CalibrationKeys.CalibratedError)] double CalibratedError,
    [property: JsonPropertyName(K.CalibrationKeys.BinRows)] IReadOnlyList<long> BinRows,
    [property: JsonPropertyName(K.CalibrationKeys.BinCorrect)] IReadOnlyList<long> BinCorrect)
{
    /// <summary>
    /// Whether the estimate calibrates confidence by the bins: only when that came closer to the test set's accuracy
    /// than the confidence as it is (<see cref="CalibratedError"/> below <see cref="Error"/>); a model calibrated well
    /// already keeps its own, since bins of few rows add noise of their own.
    /// </summary>
    [JsonPropertyName(K.CalibrationKeys.Applied)]
    public bool Applied { get; init; }

    /// <summary>The calibration error of the confidence the estimate uses: what decides whether an estimate is given.</summary>
    [JsonIgnore]
    public double EstimateError => Applied ? CalibratedError : Error;
}

public sealed record InputCard(
    [property: JsonPropertyName(K.Input.Column)] string Column,
    [property: JsonPropertyName(K.Input.Property)] string Property,
    [property: JsonPropertyName(K.Input.Kind)] string Kind,
    [property: JsonPropertyName(K.Input.CSharpType)] string CSharpType,
    [property: JsonPropertyName(K.Input.OnnxName)] string OnnxName,
    [property: JsonPropertyName(K.Input.OnnxType)] string OnnxType,
    [property: JsonPropertyName(K.Input.Shape)] IReadOnlyList<long> Shape,
    [property: JsonPropertyName(K.Input.Statistics)] StatisticsCard? Statistics)
{
    /// <summary>What the generated class does to the value first; null when nothing.</summary>
    [JsonPropertyName(K.Input.Preprocessing)]
    public PreprocessingCard? Preprocessing { get; init; }

    /// <summary>A date input's parts, in the order of its tensor (<see cref="DateParts"/>); null for other inputs.</summary>
    [JsonPropertyName(K.Input.DateParts)]
    public IReadOnlyList<string>? DateParts { get; init; }

    /// <summary>The graph's names of the input's dimensions ("batch", "sequence"; empty when unnamed); null when none has a name.</summary>
    [JsonPropertyName(K.Input.ShapeNames)]
    public IReadOnlyList<string>? ShapeNames { get; init; }
}

/// <param name="Lowercase">Lower-cased with the invariant culture (after the replacement).</param>
/// <param name="MissingPolicy">The manifest's policy ("median", "mostFrequent", "constant"); null: the graph's own mean imputation.</param>
/// <param name="Replacement">What a missing value becomes: a number (invariant "R" format) or a text.</param>
public sealed record PreprocessingCard(
    [property: JsonPropertyName(K.InputPreprocessing.Lowercase)] bool Lowercase,
    [property: JsonPropertyName(K.InputPreprocessing.MissingPolicy)] string? MissingPolicy,
    [property: JsonPropertyName(K.InputPreprocessing.Replacement)] string? Replacement);

public sealed record StatisticsCard(
    [property: JsonPropertyName(K.Statistics.Count)] long Count,
    [property: JsonPropertyName(K.Statistics.Missing)] long Missing,
    [property: JsonPropertyName(K.Statistics.MissingRate)] double MissingRate,
    [property: JsonPropertyName(K.Statistics.Min)] double? Min,
    [property: JsonPropertyName(K.Statistics.Max)] double? Max,
    [property: JsonPropertyName(K.Statistics.Mean)] double? Mean,
    [property: JsonPropertyName(K.Statistics.Std)] double? Std,
    [property: JsonPropertyName(K.Statistics.Histogram)] HistogramCard? Histogram,
    [property: JsonPropertyName(K.Statistics.Categories)] IReadOnlyList<CategoryCount>? Categories)
{
    /// <summary>A categorical column's: whether it had more distinct categories than are listed; null for other columns and in older cards.</summary>
    [JsonPropertyName(K.Statistics.CategoriesTruncated)]
    public bool? CategoriesTruncated { get; init; }

    /// <summary>A text column's vocabulary and lengths (its histogram counts words per row).</summary>
    [JsonPropertyName(K.Statistics.Text)]
    public TextStatisticsCard? Text { get; init; }

    /// <summary>A date column's earliest value (ISO-8601).</summary>
    [JsonPropertyName(K.Statistics.First)]
    public string? First { get; init; }

    /// <summary>A date column's latest value (ISO-8601).</summary>
    [JsonPropertyName(K.Statistics.Last)]
    public string? Last { get; init; }
}

/// <param name="Vocabulary">Distinct lower-cased words.</param>
/// <param name="TopTokens">The most frequent words and their counts.</param>
public sealed record TextStatisticsCard(
    [property: JsonPropertyName(K.Statistics.TextVocabulary)] long Vocabulary,
    [property: JsonPropertyName(K.Statistics.TextTopTokens)] IReadOnlyList<CategoryCount> TopTokens,
    [property: JsonPropertyName(K.Statistics.TextMeanWords)] double MeanWords,
    [property: JsonPropertyName(K.Statistics.TextMeanCharacters)] double MeanCharacters);

/// <summary>Bins <c>[edge_i, edge_i+1)</c> by <see cref="HistogramBins"/>, with the training rows in each.</summary>
public sealed record HistogramCard(
    [property: JsonPropertyName(K.Statistics.HistogramEdges)] IReadOnlyList<double> Edges,
    [property: JsonPropertyName(K.Statistics.HistogramCounts)] IReadOnlyList<long> Counts);

public sealed record CategoryCount(
    [property: JsonPropertyName(K.Statistics.CategoryValue)] string Value,
    [property: JsonPropertyName(K.Statistics.CategoryCount)] long Count);

public sealed record OutputCard(
    [property: JsonPropertyName(K.Output.Name)] string Name,
    [property: JsonPropertyName(K.Output.Property)] string Property,
    [property: JsonPropertyName(K.Output.OnnxName)] string OnnxName,
    [property: JsonPropertyName(K.Output.OnnxType)] string OnnxType,
    [property: JsonPropertyName(K.Output.Shape)] IReadOnlyList<long> Shape)
{
    /// <summary>The graph's names of the output's dimensions ("batch", "sequence"; empty when unnamed); null when none has a name.</summary>
    [JsonPropertyName(K.Output.ShapeNames)]
    public IReadOnlyList<string>? ShapeNames { get; init; }
}

public sealed record OnnxCard(
    [property: JsonPropertyName(K.OnnxFile.File)] string File,
    [property: JsonPropertyName(K.OnnxFile.Sha256)] string Sha256,
    [property: JsonPropertyName(K.OnnxFile.Opset)] long Opset,
    [property: JsonPropertyName(K.OnnxFile.IrVersion)] long IrVersion,
    [property: JsonPropertyName(K.OnnxFile.Producer)] string Producer,
    [property: JsonPropertyName(K.OnnxFile.ResourceName)] string ResourceName);

public sealed record DataCard(
    [property: JsonPropertyName(K.DataFiles.Train)] DataFileCard Train,
    [property: JsonPropertyName(K.DataFiles.Test)] DataFileCard? Test,
    [property: JsonPropertyName(K.DataFiles.TestFraction)] double? TestFraction);

/// <param name="Rows">Rows trained or tested on (after the row filters).</param>
public sealed record DataFileCard(
    [property: JsonPropertyName(K.DataFiles.Path)] string Path,
    [property: JsonPropertyName(K.DataFiles.Sha256)] string Sha256,
    [property: JsonPropertyName(K.DataFiles.Rows)] long Rows)
{
    /// <summary>What the manifest's row filters dropped from the file; null when it has none.</summary>
    [JsonPropertyName(K.DataFiles.Filtered)]
    public RowFilterCard? Filtered { get; init; }

    /// <summary>The query whose snapshot this is (<see cref="Path"/> names the snapshot); null for a file.</summary>
    [JsonPropertyName(K.DataFiles.Query)]
    public QuerySourceCard? Query { get; init; }
}

/// <summary>Where a snapshot came from: the engine, the SQL's SHA-256 (not its text) and the connection's variable name (never its value).</summary>
public sealed record QuerySourceCard(
    [property: JsonPropertyName(K.QuerySource.Engine)] string Engine,
    [property: JsonPropertyName(K.QuerySource.SqlSha256)] string SqlSha256,
    [property: JsonPropertyName(K.QuerySource.Connection)] string? Connection)
{
    public static QuerySourceCard? Of(Manifest.DataFileReference file) =>
        file.Query is { } query ? new(Manifest.QueryEngines.ToName(query.Engine), query.SqlHash, query.ConnectionVariable) : null;
}

/// <param name="OutOfRange">Rows dropped per range-filtered column.</param>
public sealed record RowFilterCard(
    [property: JsonPropertyName(K.DataFiles.RowsRead)] long RowsRead,
    [property: JsonPropertyName(K.DataFiles.Dropped)] long Dropped,
    [property: JsonPropertyName(K.DataFiles.MissingLabel)] long MissingLabel,
    [property: JsonPropertyName(K.DataFiles.OutOfRange)] IReadOnlyDictionary<string, long> OutOfRange);

/// <param name="Options">The manifest's option values: numbers, booleans, strings (read back as JSON elements).</param>
public sealed record TrainerCard(
    [property: JsonPropertyName(K.TrainerSettings.Name)] string Name,
    [property: JsonPropertyName(K.TrainerSettings.Options)] IReadOnlyDictionary<string, object?> Options,
    [property: JsonPropertyName(K.TrainerSettings.Seed)] int Seed);

/// <summary>Classification detail on the test set: per class, and the confusion matrix (rows: actual, columns: predicted).</summary>
public sealed record ClassEvaluationCard(
    [property: JsonPropertyName(K.ClassEvaluation.Classes)] IReadOnlyList<string> Classes,
    [property: JsonPropertyName(K.ClassEvaluation.Precision)] IReadOnlyList<double> Precision,
    [property: JsonPropertyName(K.ClassEvaluation.Recall)] IReadOnlyList<double> Recall,
    [property: JsonPropertyName(K.ClassEvaluation.LogLoss)] IReadOnlyList<double>? LogLoss,
    [property: JsonPropertyName(K.ClassEvaluation.ConfusionMatrix)] IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix);

/// <summary>k-fold results on the training data: the gates see the means.</summary>
public sealed record CrossValidationCard(
    [property: JsonPropertyName(K.CrossValidationFolds.Folds)] int Folds,
    [property: JsonPropertyName(K.CrossValidationFolds.Mean)] IReadOnlyDictionary<string, double> Mean,
    [property: JsonPropertyName(K.CrossValidationFolds.StandardDeviation)] IReadOnlyDictionary<string, double> StandardDeviation,
    [property: JsonPropertyName(K.CrossValidationFolds.TestSet)] IReadOnlyDictionary<string, double> TestSet);

/// <summary>How much the main metric drops when one column's values are shuffled (higher: more important).</summary>
public sealed record FeatureImportanceCard(
    [property: JsonPropertyName(K.Importance.Column)] string Column,
    [property: JsonPropertyName(K.Importance.Metric)] string Metric,
    [property: JsonPropertyName(K.Importance.Drop)] double Drop,
    [property: JsonPropertyName(K.Importance.StandardError)] double StandardError);

/// <param name="Rows">Rows compared: the test rows (or a seeded sample of them) and the synthetic edge rows.</param>
public sealed record ParityCard(
    [property: JsonPropertyName(K.ParityCheck.MaxAbsoluteDifference)] double MaxAbsoluteDifference,
    [property: JsonPropertyName(K.ParityCheck.LabelAgreement)] double LabelAgreement,
    [property: JsonPropertyName(K.ParityCheck.Rows)] long Rows,
    [property: JsonPropertyName(K.ParityCheck.Tolerance)] double Tolerance)
{
    /// <summary>Test rows the compared ones were sampled from (all of them when not sampled).</summary>
    [JsonPropertyName(K.ParityCheck.SampledFrom)]
    public long? SampledFrom { get; init; }

    /// <summary>Synthetic rows among <see cref="Rows"/>: each feature missing, each category unseen, everything missing.</summary>
    [JsonPropertyName(K.ParityCheck.EdgeRows)]
    public long? EdgeRows { get; init; }

    /// <summary>
    /// Rows left out of <see cref="Rows"/> because a text feature holds a character ONNX Runtime counts differently
    /// from ML.NET (a surrogate or U+FFFD); the compiled scorer is checked against ML.NET on them instead
    /// (<see cref="ScoringCard.TextAgainstMLNet"/>, <see cref="ScoringCard.OnnxRuntimeDiffers"/>).
    /// </summary>
    [JsonPropertyName(K.ParityCheck.TextRowsLeftOut)]
    public long? TextRowsLeftOut { get; init; }
}

/// <param name="Engine"><c>compiled</c> (MLOps.Runtime's kernels, checked against ONNX Runtime) or <c>onnxruntime</c>.</param>
/// <param name="Reason">Why ONNX Runtime: the node and operator outside the compiled subset; null when compiled.</param>
/// <param name="MaxAbsoluteDifference">Largest compiled-vs-ONNX Runtime output difference over <paramref name="Rows"/>; null when not compiled.</param>
/// <param name="Rows">Rows compared: the parity rows and synthetic rows with missing, infinite and unseen values.</param>
public sealed record ScoringCard(
    [property: JsonPropertyName(K.ScoringEngine.Engine)] string Engine,
    [property: JsonPropertyName(K.ScoringEngine.Reason)] string? Reason,
    [property: JsonPropertyName(K.ScoringEngine.MaxAbsoluteDifference)] double? MaxAbsoluteDifference,
    [property: JsonPropertyName(K.ScoringEngine.Rows)] long? Rows)
{
    /// <summary>For a model with text features scored compiled: the compiled scorer against ML.NET itself.</summary>
    [JsonPropertyName(K.ScoringEngine.TextAgainstMLNet)]
    public ScorerAgreementCard? TextAgainstMLNet { get; init; }

    /// <summary>
    /// Rows where ONNX Runtime's scores of the shipped graph differ from ML.NET's beyond the tolerance while the
    /// compiled scorer the app uses agrees; null when there are none.
    /// </summary>
    [JsonPropertyName(K.ScoringEngine.OnnxRuntimeDiffers)]
    public ScorerAgreementCard? OnnxRuntimeDiffers { get; init; }
}

/// <summary>One scorer's outputs against ML.NET's on <paramref name="Rows"/> rows, <paramref name="SyntheticRows"/> of them synthetic.</summary>
public sealed record ScorerAgreementCard(
    [property: JsonPropertyName(K.ScoringEngine.MaxAbsoluteDifference)] double MaxAbsoluteDifference,
    [property: JsonPropertyName(K.ScoringEngine.LabelAgreement)] double LabelAgreement,
    [property: JsonPropertyName(K.ScoringEngine.Rows)] long Rows,
    [property: JsonPropertyName(K.ScoringEngine.SyntheticRows)] long SyntheticRows);

/// <param name="Rows">Rows the columns were shuffled on.</param>
/// <param name="Of">Test rows they were sampled from.</param>
public sealed record ImportanceSampleCard(
    [property: JsonPropertyName(K.ImportanceSample.Rows)] long Rows,
    [property: JsonPropertyName(K.ImportanceSample.Of)] long Of,
    [property: JsonPropertyName(K.ImportanceSample.Permutations)] int Permutations);

public sealed record ToolCard(
    [property: JsonPropertyName(K.ToolVersions.Version)] string Version,
    [property: JsonPropertyName(K.ToolVersions.MLNet)] string MLNet,
    [property: JsonPropertyName(K.ToolVersions.OnnxRuntime)] string OnnxRuntime);

/// <summary>
/// What the model card keeps of a sweep: only what the same inputs always reproduce (no durations, no cache hits),
/// so that the card stays byte-identical across machines. The leaderboard is in sweep.json.
/// </summary>
public sealed record SweepSummaryCard(
    [property: JsonPropertyName(K.SweepSummary.Strategy)] string Strategy,
    [property: JsonPropertyName(K.SweepSummary.Metric)] string Metric,
    [property: JsonPropertyName(K.SweepSummary.Folds)] int Folds,
    [property: JsonPropertyName(K.SweepSummary.Configurations)] int Configurations,
    [property: JsonPropertyName(K.SweepSummary.Evaluations)] int Evaluations,
    [property: JsonPropertyName(K.SweepSummary.Pruned)] int Pruned,
    [property: JsonPropertyName(K.SweepSummary.Failed)] int Failed,
    [property: JsonPropertyName(K.SweepSummary.Best)] SweepBestCard Best);

/// <param name="Mean">The sweep metric's mean over the folds.</param>
public sealed record SweepBestCard(
    [property: JsonPropertyName(K.SweepSummary.BestTrainer)] string Trainer,
    [property: JsonPropertyName(K.SweepSummary.BestOptions)] IReadOnlyDictionary<string, object?> Options,
    [property: JsonPropertyName(K.SweepSummary.BestMean)] double Mean,
    [property: JsonPropertyName(K.SweepSummary.BestStandardDeviation)] double StandardDeviation);

/// <summary>
/// The test set as the report plots it, each list at most about a hundred points (a sample of five hundred for
/// <see cref="Predictions"/>): binary classifiers' ROC (false positive rate, true positive rate) and precision–recall
/// (recall, precision) curves and calibration (mean predicted probability, observed rate, rows per bin); a
/// regression's (actual, predicted) pairs.
/// </summary>
public sealed record CurvesCard(
    [property: JsonPropertyName(K.CurveKeys.Roc)] IReadOnlyList<IReadOnlyList<double>>? Roc,
    [property: JsonPropertyName(K.CurveKeys.PrecisionRecall)] IReadOnlyList<IReadOnlyList<double>>? PrecisionRecall,
    [property: JsonPropertyName(K.CurveKeys.Calibration)] IReadOnlyList<IReadOnlyList<double>>? Calibration,
    [property: JsonPropertyName(K.CurveKeys.Predictions)] IReadOnlyList<IReadOnlyList<double>>? Predictions);

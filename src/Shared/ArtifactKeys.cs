namespace MLOps.Shared;

// The JSON key names of every artifact the build writes and reads. The typed formats in MLOps.Build.Core name their
// properties with these constants, and the generator and analyzers (which must not load System.Text.Json) read the
// same constants: renaming a key here renames it for every writer and reader at once.

/// <summary>Keys of <c>modelcard.json</c>.</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ModelCardKeys
{
    public const string SchemaVersion = "schemaVersion";

    /// <summary>
    /// The card format the trainer writes. 2: numeric histograms keep low-cardinality values apart
    /// (<c>HistogramBins.Edges</c>); the fields are those of 1, so readers take both.
    /// </summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The oldest card format the generator, the analyzers and the drift check still read.</summary>
    public const int OldestSchemaVersion = 1;

    /// <summary>Whether a card of <paramref name="version"/> can be read.</summary>
    public static bool IsReadable(int version) => version is >= OldestSchemaVersion and <= CurrentSchemaVersion;

    public const string Name = "name";
    public const string Version = "version";
    public const string Task = "task";
    public const string Label = "label";
    public const string PositiveClass = "positiveClass";
    public const string Classes = "classes";
    public const string Inputs = "inputs";
    public const string Outputs = "outputs";
    public const string Onnx = "onnx";
    public const string Data = "data";
    public const string Trainer = "trainer";
    public const string Metrics = "metrics";
    public const string Evaluation = "evaluation";
    public const string CrossValidation = "crossValidation";
    public const string FeatureImportance = "featureImportance";
    public const string FeatureImportanceSample = "featureImportanceSample";
    public const string InputsTrainedFrom = "inputsTrainedFrom";
    public const string Sweep = "sweep";
    public const string Curves = "curves";
    public const string Parity = "parity";
    public const string Scoring = "scoring";
    public const string Fingerprint = "fingerprint";
    public const string Tool = "tool";
    public const string Calibration = "calibration";

    /// <summary><c>calibration</c>: how well the test set's confidence matched its accuracy (a classifier's).</summary>
    public static class CalibrationKeys
    {
        public const string Metric = "metric";
        public const string Error = "error";
        public const string MeanConfidence = "meanConfidence";
        public const string Accuracy = "accuracy";
        public const string Rows = "rows";
        public const string Bins = "bins";
        public const string CalibratedError = "calibratedError";
        public const string BinRows = "binRows";
        public const string BinCorrect = "binCorrect";
        public const string Applied = "applied";
    }

    /// <summary><c>curves</c>: what the report plots of the test set.</summary>
    public static class CurveKeys
    {
        public const string Roc = "roc";
        public const string PrecisionRecall = "precisionRecall";
        public const string Calibration = "calibration";
        public const string Predictions = "predictions";
    }

    /// <summary>An entry of <c>inputs</c>.</summary>
    public static class Input
    {
        public const string Column = "column";
        public const string Property = "property";
        public const string Kind = "kind";
        public const string CSharpType = "csharpType";
        public const string OnnxName = "onnxName";
        public const string OnnxType = "onnxType";
        public const string Shape = "shape";
        public const string Statistics = "statistics";
        public const string Preprocessing = "preprocessing";
        public const string DateParts = "dateParts";
        public const string ShapeNames = "shapeNames";
    }

    /// <summary><c>inputs[].preprocessing</c>: what the generated class does to a value before the graph sees it.</summary>
    public static class InputPreprocessing
    {
        public const string Lowercase = "lowercase";
        public const string MissingPolicy = "missingPolicy";
        public const string Replacement = "replacement";
    }

    /// <summary><c>inputs[].statistics</c>: the training data of one feature.</summary>
    public static class Statistics
    {
        public const string Count = "count";
        public const string Missing = "missing";
        public const string MissingRate = "missingRate";
        public const string Min = "min";
        public const string Max = "max";
        public const string Mean = "mean";
        public const string Std = "std";
        public const string Histogram = "histogram";
        public const string Categories = "categories";

        /// <summary>True when the column had more distinct categories than <see cref="CategoriesListed"/>: the list is the most frequent ones.</summary>
        public const string CategoriesTruncated = "categoriesTruncated";

        /// <summary>At most this many categories are listed per column (the most frequent). Cards without <see cref="CategoriesTruncated"/> (before it was written) are read as truncated when they list this many.</summary>
        public const int CategoriesListed = 1000;
        public const string HistogramEdges = "edges";
        public const string HistogramCounts = "counts";
        public const string CategoryValue = "value";
        public const string CategoryCount = "count";
        public const string Text = "text";
        public const string TextVocabulary = "vocabulary";
        public const string TextTopTokens = "topTokens";
        public const string TextMeanWords = "meanWords";
        public const string TextMeanCharacters = "meanCharacters";
        public const string First = "first";
        public const string Last = "last";
    }

    /// <summary>An entry of <c>outputs</c>.</summary>
    public static class Output
    {
        public const string Name = "name";
        public const string Property = "property";
        public const string OnnxName = "onnxName";
        public const string OnnxType = "onnxType";
        public const string Shape = "shape";
        public const string ShapeNames = "shapeNames";
    }

    public static class OnnxFile
    {
        public const string File = "file";
        public const string Sha256 = "sha256";
        public const string Opset = "opset";
        public const string IrVersion = "irVersion";
        public const string Producer = "producer";
        public const string ResourceName = "resourceName";
    }

    public static class DataFiles
    {
        public const string Train = "train";
        public const string Test = "test";
        public const string TestFraction = "testFraction";
        public const string Path = "path";
        public const string Sha256 = "sha256";
        public const string Rows = "rows";
        public const string Filtered = "filtered";
        public const string RowsRead = "rowsRead";
        public const string Dropped = "dropped";
        public const string MissingLabel = "missingLabel";
        public const string OutOfRange = "outOfRange";
        public const string Query = "query";
    }

    /// <summary>Where a query-defined data entry came from (its snapshot is the entry's path and sha256).</summary>
    public static class QuerySource
    {
        public const string Engine = "engine";
        public const string SqlSha256 = "sqlSha256";
        public const string Connection = "connection";
    }

    public static class TrainerSettings
    {
        public const string Name = "name";
        public const string Options = "options";
        public const string Seed = "seed";
    }

    public static class ClassEvaluation
    {
        public const string Classes = "classes";
        public const string Precision = "precision";
        public const string Recall = "recall";
        public const string LogLoss = "logLoss";
        public const string ConfusionMatrix = "confusionMatrix";
    }

    public static class CrossValidationFolds
    {
        public const string Folds = "folds";
        public const string Mean = "mean";
        public const string StandardDeviation = "standardDeviation";
        public const string TestSet = "testSet";
    }

    public static class Importance
    {
        public const string Column = "column";
        public const string Metric = "metric";
        public const string Drop = "drop";
        public const string StandardError = "standardError";
    }

    /// <summary><c>sweep</c>: how the trainer and its options were chosen, when a sweep chose them.</summary>
    public static class SweepSummary
    {
        public const string Strategy = "strategy";
        public const string Metric = "metric";
        public const string Folds = "folds";
        public const string Configurations = "configurations";
        public const string Evaluations = "evaluations";
        public const string Pruned = "pruned";
        public const string Failed = "failed";
        public const string Best = "best";
        public const string BestTrainer = "trainer";
        public const string BestOptions = "options";
        public const string BestMean = "mean";
        public const string BestStandardDeviation = "standardDeviation";
    }

    /// <summary><c>featureImportanceSample</c>: the rows importance was measured on.</summary>
    public static class ImportanceSample
    {
        public const string Rows = "rows";
        public const string Of = "of";
        public const string Permutations = "permutations";
    }

    public static class ParityCheck
    {
        public const string MaxAbsoluteDifference = "maxAbsoluteDifference";
        public const string LabelAgreement = "labelAgreement";
        public const string Rows = "rows";
        public const string Tolerance = "tolerance";
        public const string SampledFrom = "sampledFrom";
        public const string EdgeRows = "edgeRows";
        public const string TextRowsLeftOut = "textRowsLeftOut";
    }

    /// <summary><c>scoring</c>: which engine the generated class scores with, and the build's check of it.</summary>
    public static class ScoringEngine
    {
        public const string Engine = "engine";
        public const string Reason = "reason";
        public const string MaxAbsoluteDifference = "maxAbsoluteDifference";
        public const string Rows = "rows";
        public const string Compiled = "compiled";
        public const string OnnxRuntime = "onnxruntime";
        public const string TextAgainstMLNet = "textAgainstMLNet";
        public const string OnnxRuntimeDiffers = "onnxRuntimeDiffers";
        public const string LabelAgreement = "labelAgreement";
        public const string SyntheticRows = "syntheticRows";
    }

    public static class ToolVersions
    {
        public const string Version = "version";
        public const string MLNet = "mlnet";
        public const string OnnxRuntime = "onnxRuntime";
    }
}

/// <summary>Keys of <c>drift.json</c>.</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class DriftReportKeys
{
    public const string SchemaVersion = "schemaVersion";
    public const string Model = "model";
    public const string InputsFingerprint = "inputsFingerprint";
    public const string ModelFingerprint = "modelFingerprint";
    public const string Reference = "reference";
    public const string Current = "current";
    public const string Method = "method";
    public const string Share = "share";
    public const string FeaturesChecked = "featuresChecked";
    public const string FeaturesDrifted = "featuresDrifted";
    public const string DatasetDrift = "datasetDrift";
    public const string Location = "location";
    public const string Features = "features";
    public const string Estimate = "estimate";
    public const string Production = "production";

    /// <summary><c>production</c>: captured current data (with <c>mlops_time</c>) in windows of time.</summary>
    public static class ProductionKeys
    {
        public const string Windows = "windows";
        public const string Outcomes = "outcomes";
        public const string Start = "start";
        public const string End = "end";
        public const string Rows = "rows";
        public const string Psi = "psi";
        public const string Estimated = "estimated";
        public const string Realized = "realized";
    }

    /// <summary><c>estimate</c>: a classifier's accuracy on the current data, estimated without labels.</summary>
    public static class EstimateKeys
    {
        public const string Metric = "metric";
        public const string Value = "value";
        public const string Margin = "margin";
        public const string Rows = "rows";
        public const string TestValue = "testValue";
        public const string MeanConfidence = "meanConfidence";
        public const string CalibrationError = "calibrationError";
        public const string MaxCalibrationError = "maxCalibrationError";
        public const string Refused = "refused";
        public const string Gates = "gates";
        public const string GateMetric = "metric";
        public const string GateMin = "min";
        public const string GateMax = "max";
        public const string GatePassed = "passed";
        public const string GateLocation = "location";
    }

    /// <summary><c>reference</c> and <c>current</c>: a data file.</summary>
    public static class DataFile
    {
        public const string Path = "path";
        public const string Sha256 = "sha256";
        public const string Rows = "rows";
        public const string Query = "query";
    }

    /// <summary>A place in the manifest.</summary>
    public static class Position
    {
        public const string Path = "path";
        public const string Line = "line";
        public const string Column = "column";
    }

    /// <summary>An entry of <c>features</c>.</summary>
    public static class Feature
    {
        public const string Name = "feature";
        public const string Kind = "kind";
        public const string Method = "method";
        public const string Statistic = "statistic";
        public const string Value = "value";
        public const string Threshold = "threshold";
        public const string Drifted = "drifted";
        public const string Location = "location";
        public const string Statistics = "statistics";
        public const string ReferenceMissingRate = "referenceMissingRate";
        public const string CurrentMissingRate = "currentMissingRate";
        public const string UnseenCategories = "unseenCategories";
        public const string UnseenRows = "unseenRows";
        public const string ReferenceRows = "referenceRows";
        public const string CurrentRows = "currentRows";
        public const string Bins = "bins";
        public const string BinEdges = "edges";
        public const string BinCategories = "categories";
        public const string BinReference = "reference";
        public const string BinCurrent = "current";
    }

    /// <summary><c>features[].statistics</c>: every statistic that applies to the feature's kind.</summary>
    public static class Statistics
    {
        public const string Psi = "psi";
        public const string KolmogorovSmirnov = "kolmogorovSmirnov";
        public const string KolmogorovSmirnovPValue = "kolmogorovSmirnovPValue";
        public const string Wasserstein = "wasserstein";
        public const string ChiSquare = "chiSquare";
        public const string ChiSquarePValue = "chiSquarePValue";
        public const string JensenShannon = "jensenShannon";
        public const string LInfinity = "lInfinity";
    }
}

/// <summary>
/// Keys of <c>monitoring.json</c>: what the manifest says about judging the model in a running service (its PSI
/// warning levels and the live bounds of its quality gates), written by the resolve step and compiled into the
/// generated class as the health check's defaults.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class MonitoringKeys
{
    public const string SchemaVersion = "schemaVersion";
    public const int CurrentSchemaVersion = 1;
    public const string Model = "model";
    public const string PsiWarning = "psiWarning";
    public const string FeaturePsiWarnings = "featurePsiWarnings";
    public const string Gates = "gates";
    public const string GateMetric = "metric";
    public const string GateMin = "min";
    public const string GateMax = "max";
}

/// <summary>Keys of <c>sweep.json</c> (the leaderboard) and of each cached trial.</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class SweepReportKeys
{
    public const string SchemaVersion = "schemaVersion";
    public const string Model = "model";
    public const string Metric = "metric";
    public const string HigherIsBetter = "higherIsBetter";
    public const string Strategy = "strategy";
    public const string Folds = "folds";
    public const string Budget = "budget";
    public const string BudgetTrials = "trials";
    public const string BudgetSeconds = "seconds";
    public const string Counts = "counts";
    public const string Configurations = "configurations";
    public const string Evaluations = "evaluations";
    public const string Cached = "cached";
    public const string Trained = "trained";
    public const string Pruned = "pruned";
    public const string Failed = "failed";
    public const string WarmStarted = "warmStarted";
    public const string ElapsedMilliseconds = "elapsedMilliseconds";
    public const string Best = "best";
    public const string Trials = "trials";

    /// <summary>One evaluation of one configuration.</summary>
    public static class Trial
    {
        public const string Index = "index";
        public const string Rung = "rung";
        public const string Trainer = "trainer";
        public const string Options = "options";
        public const string Fingerprint = "fingerprint";
        public const string Status = "status";
        public const string Reason = "reason";
        public const string Folds = "folds";
        public const string Mean = "mean";
        public const string StandardDeviation = "standardDeviation";
        public const string DurationMilliseconds = "durationMilliseconds";
        public const string Cached = "cached";
    }
}

/// <summary>Keys of one line of a model's run history (<c>runs/…/&lt;Model&gt;.jsonl</c>).</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class RunRecordKeys
{
    public const string Time = "time";
    public const string Commit = "commit";
    public const string Model = "model";
    public const string Fingerprint = "fingerprint";
    public const string ModelSha256 = "modelSha256";
    public const string Trainer = "trainer";
    public const string Options = "options";
    public const string Seed = "seed";
    public const string Data = "data";
    public const string Metrics = "metrics";
    public const string DurationSeconds = "durationSeconds";
    public const string Tool = "tool";
    public const string Sweep = "sweep";
}

/// <summary>Keys of the committed <c>*.mlmodel.lock.json</c>.</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ModelLockKeys
{
    public const string Name = "name";
    public const string Fingerprint = "fingerprint";
    public const string ModelSha256 = "modelSha256";
    public const string Metrics = "metrics";
    public const string Data = "data";
    public const string Tool = "tool";
}

/// <summary>Keys of <c>comparison.json</c>: the model against the accepted one on the same test rows.</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ModelComparisonKeys
{
    public const string SchemaVersion = "schemaVersion";
    public const string Fingerprint = "fingerprint";
    public const string AcceptedFingerprint = "acceptedFingerprint";
    public const string AcceptedModelSha256 = "acceptedModelSha256";
    public const string Rows = "rows";
    public const string Level = "level";
    public const string Resamples = "resamples";
    public const string Seed = "seed";
    public const string Metrics = "metrics";
    public const string Problem = "problem";

    public static class Metric
    {
        public const string Accepted = "accepted";
        public const string Current = "current";
        public const string Difference = "difference";
        public const string Lower = "lower";
        public const string Upper = "upper";
    }
}

/// <summary>Keys of a manifest that other readers than the manifest parser look up (the stale-model analyzer).</summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ManifestKeys
{
    public const string Data = "data";
    public const string Train = "train";
    public const string Test = "test";
    public const string Path = "path";
    public const string Sha256 = "sha256";
}

/// <summary>
/// Keys of <c>provenance.json</c>, the audit facts of a model embedded next to it in the assembly
/// (<c>MLOps.Models.{Name}.provenance.json</c>): written by the build, read by <c>TModel.Provenance</c> and
/// <c>dotnet mlops inspect</c>.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class ProvenanceKeys
{
    public const string SchemaVersion = "schemaVersion";
    public const int CurrentSchemaVersion = 1;
    public const string Name = "name";
    public const string Version = "version";
    public const string Task = "task";
    public const string Label = "label";
    public const string Manifest = "manifest";
    public const string Commit = "commit";
    public const string Data = "data";
    public const string Trainer = "trainer";
    public const string Metrics = "metrics";
    public const string Gates = "gates";
    public const string Accepted = "accepted";
    public const string Onnx = "onnx";
    public const string Fingerprint = "fingerprint";
    public const string Tool = "tool";

    // Inside "manifest", "data" entries, "onnx" and "accepted".
    public const string Path = "path";
    public const string Sha256 = "sha256";
    public const string Role = "role";
    public const string Rows = "rows";
    public const string Query = "query";

    // Inside "gates" entries.
    public const string Metric = "metric";
    public const string Bounds = "bounds";
    public const string Value = "value";
    public const string Outcome = "outcome";

    // Inside "accepted": whether the embedded model is the one the lock file accepts, and who committed that lock.
    public const string IsAcceptedModel = "isAcceptedModel";
    public const string AcceptedModelSha256 = "modelSha256";
    public const string By = "by";
    public const string At = "at";
}

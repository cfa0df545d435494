using static MLOps.Build.Diagnostics.DiagnosticLevel;

namespace MLOps.Build.Diagnostics;

/// <summary>
/// Every diagnostic the build can report. Ranges: 1xxx manifest and data, 2xxx training and export,
/// 3xxx quality gates, 4xxx drift, 5xxx code generation, 6xxx code analyzers.
/// docs/diagnostics.md has one section per ID; a test keeps the two in step.
/// </summary>
public static class DiagnosticCodes
{
    // 1xxx: manifest
    public static readonly DiagnosticCode ManifestNotFound = new("MLOPS1001", Error, "Manifest file not found");
    public static readonly DiagnosticCode InvalidJson = new("MLOPS1002", Error, "Manifest is not valid JSON");
    public static readonly DiagnosticCode MissingField = new("MLOPS1003", Error, "Required manifest field is missing");
    public static readonly DiagnosticCode WrongValueType = new("MLOPS1004", Error, "Manifest value has the wrong type");
    public static readonly DiagnosticCode UnknownTask = new("MLOPS1005", Error, "Unknown task");
    public static readonly DiagnosticCode UnknownTrainer = new("MLOPS1006", Error, "Unknown trainer for the task");
    public static readonly DiagnosticCode UnknownMetric = new("MLOPS1007", Error, "Unknown metric for the task");
    public static readonly DiagnosticCode InvalidIdentifier = new("MLOPS1008", Error, "Model or class name is not a valid C# identifier");
    public static readonly DiagnosticCode DuplicateModelName = new("MLOPS1009", Error, "Two models in one project share a name");
    public static readonly DiagnosticCode UnknownKey = new("MLOPS1010", Warning, "Unknown manifest key");
    public static readonly DiagnosticCode InvalidValue = new("MLOPS1011", Error, "Manifest value is out of range");
    public static readonly DiagnosticCode InvalidGate = new("MLOPS1012", Error, "Quality gate cannot be judged");
    public static readonly DiagnosticCode TrainerOrOnnx = new("MLOPS1013", Error, "Manifest needs exactly one of 'trainer' or 'onnx'");
    public static readonly DiagnosticCode InvalidSweepSpace = new("MLOPS1050", Error, "Sweep search space is invalid");
    public static readonly DiagnosticCode UnknownSweepOption = new("MLOPS1051", Error, "Sweep search space names an option the trainer does not have");

    // 1xxx: data files
    public static readonly DiagnosticCode DataFileNotFound = new("MLOPS1020", Error, "Data file not found");
    public static readonly DiagnosticCode DataHashMismatch = new("MLOPS1021", Error, "Data file changed since its hash was pinned");
    public static readonly DiagnosticCode DataHashMissing = new("MLOPS1022", Error, "Data file is not pinned by a hash");
    public static readonly DiagnosticCode UnsafePath = new("MLOPS1023", Error, "Path leaves the repository");
    public static readonly DiagnosticCode UnsupportedDataFormat = new("MLOPS1024", Error, "Unsupported data file format");
    public static readonly DiagnosticCode DataHashUpdated = new("MLOPS1025", Info, "Data file hash updated");
    public static readonly DiagnosticCode RaggedRow = new("MLOPS1030", Error, "Row has the wrong number of fields");
    public static readonly DiagnosticCode UnparsableValue = new("MLOPS1031", Error, "Value cannot be read as the column's type");
    public static readonly DiagnosticCode EmptyData = new("MLOPS1032", Error, "Data file has no rows");
    public static readonly DiagnosticCode LabelNotFound = new("MLOPS1033", Error, "Label column not found in the data");
    public static readonly DiagnosticCode SingleClassLabel = new("MLOPS1034", Error, "Label has a single class");
    public static readonly DiagnosticCode UnknownColumn = new("MLOPS1035", Error, "Manifest names a column the data does not have");
    public static readonly DiagnosticCode UnknownExcludedColumn = new("MLOPS1036", Warning, "Excluded column is not in the data");
    public static readonly DiagnosticCode NoFeatures = new("MLOPS1037", Error, "No feature columns left");
    public static readonly DiagnosticCode UnknownColumnType = new("MLOPS1038", Error, "Unknown column type");
    public static readonly DiagnosticCode SchemaMismatch = new("MLOPS1039", Error, "Data does not have the columns it should");
    public static readonly DiagnosticCode BinaryLabelNotBoolean = new("MLOPS1040", Error, "Binary label is not boolean");
    public static readonly DiagnosticCode MissingLabel = new("MLOPS1041", Error, "Label value is missing");
    public static readonly DiagnosticCode UnreadableData = new("MLOPS1042", Error, "Data file cannot be read");
    public static readonly DiagnosticCode DuplicateColumn = new("MLOPS1043", Error, "Two columns share a header name");
    public static readonly DiagnosticCode ColumnSettingNotApplicable = new("MLOPS1044", Error, "Column setting does not apply to the column's type");
    public static readonly DiagnosticCode RowsFiltered = new("MLOPS1045", Info, "Rows dropped by row filters");
    public static readonly DiagnosticCode EveryRowFiltered = new("MLOPS1046", Error, "Row filters dropped every row");
    public static readonly DiagnosticCode EmptyColumn = new("MLOPS1047", Error, "Column has no values in the training data");
    public static readonly DiagnosticCode ConstantLabel = new("MLOPS1048", Error, "Regression label is constant");
    public static readonly DiagnosticCode TooLongForGeneratedCode = new("MLOPS1049", Error, "Class label or column name is too long for generated code");
    public static readonly DiagnosticCode TooManyCategories = new("MLOPS1052", Error, "Inferred category column has too many distinct values");

    // 1xxx: query sources and their snapshots
    public static readonly DiagnosticCode QueryFailed = new("MLOPS1060", Error, "Query cannot be run");
    public static readonly DiagnosticCode QueryResultChanged = new("MLOPS1061", Error, "Query's result changed since it was pinned");
    public static readonly DiagnosticCode UnsupportedQueryType = new("MLOPS1062", Error, "Query returns a column type a snapshot cannot hold");
    public static readonly DiagnosticCode ConnectionVariableMissing = new("MLOPS1063", Error, "Connection environment variable is not set");
    public static readonly DiagnosticCode SnapshotTaken = new("MLOPS1064", Info, "Query snapshot taken");
    public static readonly DiagnosticCode QueryEngineMissing = new("MLOPS1065", Error, "Query engine is not installed");
    public static readonly DiagnosticCode SnapshotRestoredFromRemoteCache = new("MLOPS1066", Info, "Query snapshot restored from the remote cache");

    // 2xxx: training and export
    public static readonly DiagnosticCode TrainerCrashed = new("MLOPS2001", Error, "Trainer process failed");
    public static readonly DiagnosticCode TrainerNotFound = new("MLOPS2002", Error, "Trainer not found");
    public static readonly DiagnosticCode TrainerTimedOut = new("MLOPS2003", Error, "Trainer timed out");
    public static readonly DiagnosticCode UnknownTrainerOption = new("MLOPS2004", Error, "Unknown trainer option");
    public static readonly DiagnosticCode InvalidTrainerOption = new("MLOPS2005", Error, "Trainer option has the wrong type");
    public static readonly DiagnosticCode TrainingFailed = new("MLOPS2006", Error, "Training failed");
    public static readonly DiagnosticCode OnnxExportFailed = new("MLOPS2007", Error, "ONNX export failed");
    public static readonly DiagnosticCode ParityExceeded = new("MLOPS2008", Error, "ONNX predictions differ from ML.NET's");
    public static readonly DiagnosticCode ModelTrained = new("MLOPS2010", Info, "Model trained");
    public static readonly DiagnosticCode ModelUpToDate = new("MLOPS2011", Info, "Model is up to date");
    public static readonly DiagnosticCode RestoredFromCache = new("MLOPS2013", Info, "Model restored from the artifact cache");
    public static readonly DiagnosticCode CorruptCacheEntry = new("MLOPS2014", Warning, "Damaged artifact cache entry discarded");
    public static readonly DiagnosticCode InvalidOnnxModel = new("MLOPS2015", Error, "ONNX model cannot be imported");
    public static readonly DiagnosticCode TrainingProgress = new("MLOPS2016", Info, "Training progress");
    public static readonly DiagnosticCode SweepFinished = new("MLOPS2020", Info, "Sweep finished");
    public static readonly DiagnosticCode TrialFailed = new("MLOPS2021", Info, "Sweep trial failed");
    public static readonly DiagnosticCode EveryTrialFailed = new("MLOPS2022", Error, "Every sweep trial failed");
    public static readonly DiagnosticCode RunHistoryNotWritten = new("MLOPS2023", Info, "Run history not written");
    public static readonly DiagnosticCode SweepShardFinished = new("MLOPS2024", Info, "Sweep shard finished");
    public static readonly DiagnosticCode ReportNotWritten = new("MLOPS2025", Warning, "HTML report not written");
    public static readonly DiagnosticCode RestoredFromRemoteCache = new("MLOPS2030", Info, "Model restored from the remote cache");
    public static readonly DiagnosticCode RemoteCacheUnavailable = new("MLOPS2031", Warning, "Remote cache unavailable; off for the rest of the build");
    public static readonly DiagnosticCode DamagedRemoteCacheEntry = new("MLOPS2032", Warning, "Damaged remote cache entry ignored");
    public static readonly DiagnosticCode UploadedToRemoteCache = new("MLOPS2033", Info, "Model uploaded to the remote cache");
    public static readonly DiagnosticCode CompiledScoringMismatch = new("MLOPS2034", Error, "Compiled scoring differs from ONNX Runtime");
    public static readonly DiagnosticCode ScoredByOnnxRuntime = new("MLOPS2035", Info, "Model scored by ONNX Runtime, not compiled");
    public static readonly DiagnosticCode OnnxRuntimeLeftOut = new("MLOPS2036", Error, "A model needs ONNX Runtime, which MLOpsOnnxRuntime=false leaves out");
    public static readonly DiagnosticCode BuildFileNotWritable = new("MLOPS2037", Error, "A build file cannot be read or written");
    public static readonly DiagnosticCode TaskFailedUnexpectedly = new("MLOPS2038", Error, "An MLOps.Build task failed unexpectedly");
    public static readonly DiagnosticCode UnderutilizedColumn = new("MLOPS2039", Info, "Column is an underutilized data dependency");
    public static readonly DiagnosticCode OnnxRuntimeTextDiffers = new("MLOPS2040", Warning, "ONNX Runtime counts some text differently from ML.NET; the app scores compiled");
    public static readonly DiagnosticCode CompiledTextMismatch = new("MLOPS2041", Error, "Compiled text scoring differs from ML.NET");

    // 3xxx: quality gates
    public static readonly DiagnosticCode GateFailed = new("MLOPS3001", Error, "Quality gate failed");
    public static readonly DiagnosticCode MetricNotMeasured = new("MLOPS3002", Error, "Gate metric was not measured");
    public static readonly DiagnosticCode ChangeGatesSkipped = new("MLOPS3003", Info, "Gates on change skipped: no accepted model yet");
    public static readonly DiagnosticCode GatesPassed = new("MLOPS3004", Info, "Quality gates passed");
    public static readonly DiagnosticCode ChangeGateFailed = new("MLOPS3005", Error, "Metric changed more than its gate allows");
    public static readonly DiagnosticCode ModelAccepted = new("MLOPS3006", Info, "Model accepted into the lock file");
    public static readonly DiagnosticCode NoAcceptedModelInCI = new("MLOPS3007", Error, "No accepted model in a CI build");
    public static readonly DiagnosticCode UnacceptedModelInCI = new("MLOPS3008", Error, "Model differs from the accepted one in a CI build");
    public static readonly DiagnosticCode UnacceptedModel = new("MLOPS3009", Warning, "Model differs from the accepted one");
    public static readonly DiagnosticCode UnreadableLock = new("MLOPS3010", Warning, "Lock file cannot be read");
    public static readonly DiagnosticCode UnreadableModelCard = new("MLOPS3012", Error, "Model card cannot be read for validation");
    public static readonly DiagnosticCode GateFailedWarning = new("MLOPS3011", Warning, "Quality gate failed (enforce: warn)");
    public static readonly DiagnosticCode SigningKeyUnreadable = new("MLOPS3013", Error, "Provenance signing key cannot be read");
    public static readonly DiagnosticCode SigningUnsupported = new("MLOPS3014", Warning, "Provenance cannot be signed by this MSBuild");
    public static readonly DiagnosticCode ChangeWithinNoise = new("MLOPS3015", Info, "Change beyond a significance gate's bound is within noise");

    // 41xx: the build-time drift check (4001–4099 are the drift analyzers in MLOps.Build.Generators)
    public static readonly DiagnosticCode DriftChecked = new("MLOPS4100", Info, "Drift checked");
    public static readonly DiagnosticCode DriftFeatureNotInModel = new("MLOPS4101", Error, "Drift settings name a column that is not a model feature");
    public static readonly DiagnosticCode DriftMethodNotApplicable = new("MLOPS4102", Error, "Drift method does not apply to the feature's type");
    public static readonly DiagnosticCode CurrentDataMissesFeature = new("MLOPS4103", Error, "Current data lacks a model feature");
    public static readonly DiagnosticCode DriftNeedsTrainingData = new("MLOPS4104", Warning, "Drift check needs training data");
    public static readonly DiagnosticCode DriftCheckFailed = new("MLOPS4105", Error, "Drift check failed");
    public static readonly DiagnosticCode PerformanceEstimated = new("MLOPS4106", Info, "Performance estimated without labels");
    public static readonly DiagnosticCode EstimateRefused = new("MLOPS4107", Warning, "Performance not estimated");

    public static IEnumerable<DiagnosticCode> All =>
        typeof(DiagnosticCodes).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => (DiagnosticCode)f.GetValue(null)!);
}

namespace MLOps.Runtime.Monitoring;

/// <summary>What a trained model predicts, which decides the live metrics its outcomes give.</summary>
public enum PredictionTask
{
    /// <summary>A true/false label: Accuracy, AreaUnderRocCurve, LogLoss (base 2, as ML.NET).</summary>
    Binary,

    /// <summary>One of several classes: MicroAccuracy, MacroAccuracy, LogLoss (natural log, as ML.NET).</summary>
    Multiclass,

    /// <summary>A number: MeanAbsoluteError, RootMeanSquaredError, RSquared.</summary>
    Regression,
}

namespace MLOps.Runtime;

/// <summary>Element types a generated model class can exchange with the ONNX graph.</summary>
public enum TensorKind
{
    /// <summary>32-bit float.</summary>
    Float,
    /// <summary>64-bit float.</summary>
    Double,
    /// <summary>32-bit integer.</summary>
    Int32,
    /// <summary>64-bit integer.</summary>
    Int64,
    /// <summary>Boolean.</summary>
    Bool,
    /// <summary>UTF-8 string.</summary>
    String,
}

namespace MLOps.Runtime;

/// <summary>What scores a <see cref="ModelSession"/>.</summary>
public enum ScoringEngine
{
    /// <summary>ONNX Runtime, for graphs outside the compiled subset or when <see cref="ModelSessionOptions.UseOnnxRuntime"/> is set.</summary>
    OnnxRuntime,

    /// <summary>MLOps.Runtime's compiled kernels (<see cref="Compiled.CompiledModel"/>), checked against ONNX Runtime at build time.</summary>
    Compiled,
}

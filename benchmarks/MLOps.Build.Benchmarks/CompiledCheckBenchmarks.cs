using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer;
using MLOps.Build.Trainer.Export.Compiled;
using MLOps.Runtime.Compiled;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// What compiled scoring adds to a build and to an app's start for a 1,000-tree model (binary FastTree, 20 leaves,
/// trained once in setup on the fixture customers): the build's check (compile, score the synthetic rows both
/// ways, compare) and the app's compile at Load, against creating the ONNX Runtime session the app would otherwise
/// create (baseline).
/// </summary>
[MemoryDiagnoser]
public class CompiledCheckBenchmarks
{
    private string _work = null!;
    private byte[] _onnx = null!;
    private OnnxFeeds _feeds = null!;

    [GlobalSetup]
    public void Setup()
    {
        _work = Path.Combine(Path.GetTempPath(), "mlops-compiled-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);
        File.Copy(Path.Combine(ScoringFixture.RepositoryRoot, "tests", "Fixtures", "Models", "customers.csv"), Path.Combine(_work, "customers.csv"));
        File.WriteAllText(Path.Combine(_work, "BigTrees.mlmodel.json"), """
            {"name":"BigTrees","task":"binary","label":"churned","data":{"train":"customers.csv"},"exclude":["tenure (months)"],
             "trainer":{"name":"FastTree","options":{"NumberOfTrees":1000,"NumberOfLeaves":20,"MinimumExampleCountPerLeaf":2}},"seed":1}
            """);
        var diagnostics = new DiagnosticBag();
        var output = Path.Combine(_work, "out");
        if (!new TrainCommand(diagnostics).Run(new TrainRequest(Path.Combine(_work, "BigTrees.mlmodel.json"), output, "benchmark")))
        {
            throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        }
        _onnx = File.ReadAllBytes(Path.Combine(output, "model.onnx"));
        _feeds = OnnxFeeds.Synthetic(_onnx, 512, seed: 1);
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime session created (what Load does without compiled scoring)")]
    public int OnnxRuntimeSession()
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(_onnx, options);
        return session.InputMetadata.Count;
    }

    [Benchmark(Description = "compiled at Load")]
    public int Compile() => CompiledModel.Compile(_onnx).Inputs.Count;

    [Benchmark(Description = "the build's check: compile, 512 synthetic rows both ways, compare")]
    public string BuildCheck() => CompiledScoringCheck.Run(_onnx, _feeds, 1e-4).Card.Engine;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);
}

using System.Reflection;
using Microsoft.ML;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Benchmarks;

/// <summary>Retrains a fixture model in process (deterministic, so it is the embedded model) for ML.NET's baseline.</summary>
internal sealed record ScoringFixture(MLContext ML, ITransformer Model, TrainingTable Test, byte[] Onnx)
{
    public static string RepositoryRoot { get; } = typeof(ScoringFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public float Number(string column, int row) => Test.Features.Single(f => f.Name == column).Numbers![row % Test.RowCount];

    public string? Category(string column, int row) => Test.Features.Single(f => f.Name == column).Categories![row % Test.RowCount];

    public static ScoringFixture Load(string manifestPath, string model)
    {
        var diagnostics = new DiagnosticBag();
        var manifest = ManifestParser.ParseFile(Path.Combine(RepositoryRoot, manifestPath), diagnostics)!;
        var run = new ManifestTraining(diagnostics).Fit(manifest) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        return new ScoringFixture(run.ML, run.Model.ScoringModel, run.Test,
            File.ReadAllBytes(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", model, "model.onnx")));
    }
}

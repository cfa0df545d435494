using System.Reflection;
using Microsoft.ML;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer;
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
        var typer = new ColumnTyper(manifest, diagnostics);
        var raw = DataFileReader.Read(manifest.Train!.FullPath(manifest.DirectoryPath), manifest.Train.RelativePath, default, diagnostics)!;
        var schema = typer.DecideSchema(raw);
        var train = typer.Apply(raw, schema, default)!;
        TrainingTable test;
        if (manifest.Test is null)
        {
            (train, test) = TrainCommand.Split(train, manifest.TestFraction, manifest.Seed);
        }
        else
        {
            test = typer.Apply(DataFileReader.Read(manifest.Test.FullPath(manifest.DirectoryPath), manifest.Test.RelativePath, default, diagnostics)!, schema, default)!;
        }
        var ml = new MLContext(manifest.Seed);
        var trained = new ModelTrainer(manifest, diagnostics).Train(ml, train, test)!;
        return new ScoringFixture(ml, trained.ScoringModel, test,
            File.ReadAllBytes(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", model, "model.onnx")));
    }
}

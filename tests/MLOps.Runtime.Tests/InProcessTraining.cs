using System.Reflection;
using Microsoft.ML.Data;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Runtime.Tests;

/// <summary>ML.NET's own predictions for a manifest's test rows, from a training run in this process.</summary>
public sealed record MLNetPredictions(TrainingTable Test, float[][] Scores, string[] Labels, byte[] Onnx)
{
    public float Number(string column, int row) => Test.Features.Single(f => f.Name == column).Numbers![row];

    public string? Category(string column, int row) => Test.Features.Single(f => f.Name == column).Categories![row];

    public static string RepositoryRoot { get; } = typeof(MLNetPredictions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static MLNetPredictions Train(string manifestPath)
    {
        var diagnostics = new DiagnosticBag();
        var manifest = ManifestParser.ParseFile(Path.Combine(RepositoryRoot, manifestPath), diagnostics)!;
        var run = new ManifestTraining(diagnostics).Fit(manifest) ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        var scored = run.Model.ScoredTest;
        var scores = scored.Schema["Score"].Type is VectorDataViewType
            ? scored.GetColumn<float[]>("Score").ToArray()
            : scored.GetColumn<float>("Score").Select(s => new[] { s }).ToArray();
        var labels = manifest.Task switch
        {
            ModelTask.Multiclass => scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(l => l.ToString()).ToArray(),
            ModelTask.Binary => scored.GetColumn<bool>("PredictedLabel").Select(l => l ? "true" : "false").ToArray(),
            _ => new string[run.Test.RowCount],
        };
        return new MLNetPredictions(run.Test, scores, labels, run.ExportOnnx());
    }

    public static byte[] Fixture(string model) =>
        File.ReadAllBytes(Path.Combine(RepositoryRoot, "tests", "Fixtures", "Models", model, "model.onnx"));
}

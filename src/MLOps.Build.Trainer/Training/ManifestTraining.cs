using Microsoft.ML;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;

namespace MLOps.Build.Trainer.Training;

/// <summary>A fitted model with the tables it was trained and tested on.</summary>
public sealed record TrainingRun(ModelManifest Manifest, MLContext ML, TrainingTable Train, TrainingTable Test, TrainedModel Model)
{
    /// <summary>The ONNX model as it ships.</summary>
    public byte[] ExportOnnx() => OnnxExporter.ExportForScoring(ML, Model.ScoringModel, Train, Manifest.Task);
}

/// <summary>Reads and types a manifest's data, holds out the test rows, and fits the model.</summary>
public sealed class ManifestTraining(DiagnosticBag diagnostics)
{
    public TrainingRun? Fit(ModelManifest manifest)
    {
        var tables = LoadTables(manifest);
        if (tables is null)
        {
            return null;
        }
        var (train, test) = tables.Value;
        var ml = new MLContext(manifest.Seed);
        var model = new ModelTrainer(manifest, diagnostics).Train(ml, train, test);
        return model is null ? null : new TrainingRun(manifest, ml, train, test, model);
    }

    /// <summary>The typed training and test tables exactly as training sees them (after any seeded split).</summary>
    public (TrainingTable Train, TrainingTable Test)? LoadTables(ModelManifest manifest) =>
        Load(manifest, readTest: true) is ({ } train, { } test) ? (train, test) : null;

    /// <summary>The rows the model learned from (the drift check's reference), without reading the test file.</summary>
    public TrainingTable? LoadTrainingRows(ModelManifest manifest) => Load(manifest, readTest: false)?.Train;

    private (TrainingTable Train, TrainingTable? Test)? Load(ModelManifest manifest, bool readTest)
    {
        var trainRaw = Read(manifest, manifest.Train!);
        var testRaw = readTest && manifest.Test is not null ? Read(manifest, manifest.Test) : null;
        if (trainRaw is null || (readTest && manifest.Test is not null && testRaw is null))
        {
            return null;
        }
        var typer = new ColumnTyper(manifest, diagnostics);
        var schema = typer.DecideSchema(trainRaw);
        if (diagnostics.HasErrors)
        {
            return null;
        }
        var train = typer.Apply(trainRaw, schema, manifest.Train!.PathLocation);
        var test = testRaw is null ? null : typer.Apply(testRaw, schema, manifest.Test!.PathLocation);
        if (train is null || (testRaw is not null && test is null))
        {
            return null;
        }
        // Without a test file the hold-out comes from the training file, whether or not the test rows are wanted.
        return manifest.Test is null ? Split(train, manifest.TestFraction, manifest.Seed) : (train, test);
    }

    private RawTable? Read(ModelManifest manifest, DataFileReference file)
    {
        var path = file.FullPath(manifest.DirectoryPath);
        return DataFileReader.Read(path, path, file.PathLocation, diagnostics);
    }

    /// <summary>Seeded and independent of thread scheduling, so the same manifest always holds out the same rows.</summary>
    private static (TrainingTable Train, TrainingTable Test) Split(TrainingTable table, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = Math.Max(1, (int)Math.Round(table.RowCount * testFraction));
        var test = order.Take(testCount).Order().ToArray();
        var train = order.Skip(testCount).Order().ToArray();
        return (table.Select(train), table.Select(test));
    }
}
